file /srv/large.txt
[ "$(sha256sum < "$R/srv/large.txt" | cut -c1-64)" = 975fff9fe9e829401c4b88736ad1b00dee555dd5228b660ade0582b387e81f34 ] || _fail 'large.txt content'

owner /srv/lee 1700:1700
mode /srv/lee 700

mode /srv/keepmode 711
owner /srv/keepmode 1:1

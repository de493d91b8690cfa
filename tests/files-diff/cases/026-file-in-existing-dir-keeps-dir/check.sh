file /srv/existing/new.conf 'new\n'
mode /srv/existing 700
owner /srv/existing 1:1
file /srv/existing/old 'old\n'

dir /srv/data
mode /srv/data 700
absent /srv/data/old
absent /srv/data/sub

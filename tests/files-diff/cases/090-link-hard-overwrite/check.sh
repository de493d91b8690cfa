same_inode /srv/dst /srv/src
file /srv/dst 'source\n'

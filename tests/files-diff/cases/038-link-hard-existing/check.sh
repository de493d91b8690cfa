same_inode /etc/hl /etc/existing-target
same_inode /srv/new/hl2 /etc/existing-target
dir /srv/new

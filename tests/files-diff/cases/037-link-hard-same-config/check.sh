same_inode /srv/hard /srv/orig
mode /srv/hard 640

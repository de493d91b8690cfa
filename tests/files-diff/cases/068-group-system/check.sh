line /etc/group '^sysgrp:x:9[0-9][0-9]:$'

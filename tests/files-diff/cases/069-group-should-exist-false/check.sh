no_line /etc/group '^oldgrp:'
no_line /etc/gshadow '^oldgrp:'

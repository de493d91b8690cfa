owner /etc/v32 1801:0
no_line /etc/passwd '^gone:'
no_line /etc/group '^gonegrp:'

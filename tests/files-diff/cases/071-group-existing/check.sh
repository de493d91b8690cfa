line /etc/group '^adm:x:44:$'

line /etc/passwd '^judy:x:1000:3000:'
line /etc/group '^team:x:3000:judy$'
line /etc/group '^adm:x:4:judy$'

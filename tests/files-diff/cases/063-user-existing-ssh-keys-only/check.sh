file /home/heidi/.ssh/authorized_keys.d/ignition 'ssh-ed25519 AAAAHeidi\n'
owner /home/heidi/.ssh 1300:1300
line /etc/passwd '^heidi:x:1300:1300::/home/heidi:/bin/bash$'

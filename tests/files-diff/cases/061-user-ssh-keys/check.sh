file /home/frank/.ssh/authorized_keys.d/ignition 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFrank1 frank@a\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQFrank2 frank@b\n'
mode /home/frank/.ssh 700
mode /home/frank/.ssh/authorized_keys.d 700
mode /home/frank/.ssh/authorized_keys.d/ignition 600
owner /home/frank/.ssh/authorized_keys.d/ignition 1000:1000
file /root/.ssh/authorized_keys.d/ignition 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRoot root@x\n'

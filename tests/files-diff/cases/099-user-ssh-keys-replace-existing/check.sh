file /home/mia/.ssh/authorized_keys.d/ignition 'ssh-ed25519 AAAANew\n'
file /home/mia/.ssh/authorized_keys 'ssh-rsa OLDMAIN\n'

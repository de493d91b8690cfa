useradd --root "$1" -u 1900 -m mia
mkdir -p "$1/home/mia/.ssh/authorized_keys.d"
echo "ssh-rsa OLDFRAGMENT-LONGER-THAN-THE-NEW-ONE" > "$1/home/mia/.ssh/authorized_keys.d/ignition"
echo "ssh-rsa OLDMAIN" > "$1/home/mia/.ssh/authorized_keys"
chown -R 1900:1900 "$1/home/mia/.ssh"; chmod 700 "$1/home/mia/.ssh"

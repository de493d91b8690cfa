dir /srv/was-link
file /srv/target/keep 'k\n'

file '/etc/with space/ünïcöde.conf' 'odd\n'
file /etc/.hidden 'dot\n'

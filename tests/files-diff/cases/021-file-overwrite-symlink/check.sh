file /etc/waslink 'replaced link\n'
file /etc/target 'target\n'

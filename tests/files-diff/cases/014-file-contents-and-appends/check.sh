file /etc/combined 'base\nappended data\nfragment one\nfragment two\n'
mode /etc/combined 600

file /etc/app-gz 'head\ngz tail\n'

file /fdx/run/app/pid '1\n'
symlink /var/run /fdx/run

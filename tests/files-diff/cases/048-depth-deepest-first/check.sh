mode /x 700
mode /x/y 750
owner /x/y 0:4
mode /x/y/z 711
file /x/y/z/file 'z\n'
mode /x/y/file 600

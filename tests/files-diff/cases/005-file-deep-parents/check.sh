file /a/b/c/d/e/f.txt 'deep\n'
mode /a 755
mode /a/b/c/d/e 755
owner /a/b/c/d 0:0

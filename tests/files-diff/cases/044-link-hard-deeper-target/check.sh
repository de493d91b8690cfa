same_inode /h /deep/a/b/c/target
file /h 'deep target\n'

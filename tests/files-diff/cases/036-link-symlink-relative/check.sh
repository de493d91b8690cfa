symlink /etc/alternatives/editor ../../usr/bin/vim.tiny
symlink /etc/sibling hello
symlink /etc/dot ./x/../y
mode /etc/alternatives 755

mkdir -p "$1/srv/target"; echo k > "$1/srv/target/keep"; ln -s target "$1/srv/was-link"

symlink /srv/wasdir elsewhere

# kola: https-ca-merge: a child config and a file over HTTPS, trusted through the config's own CA, merged into the parent.
# shellcheck shell=bash
expect_content /etc/kola/from-parent "parent"
expect_content /etc/kola/from-child "child"
expect_content /etc/kola/overridden "child value"
expect_content /etc/kola/over-https "served over HTTPS with the run's own CA"
expect_mode /etc/kola/over-https 600
for f in /etc/kola/*; do
	echo "$f: $(cat "$f")"
done

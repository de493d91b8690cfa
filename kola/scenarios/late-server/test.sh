# kola: late-server: the config arrived although its server opened 30 s after the VM started.
# shellcheck shell=bash
expect_content /etc/kola/late "the config came late"
echo "config applied: $(cat /etc/kola/late)"

#!/bin/bash
# dracut cmdline hook: root=flint:live is Flint's RAM live root, which flint-live-root.service and sysroot.mount provide.
# shellcheck disable=SC2034 # rootok is read by dracut-cmdline.sh, which sources this hook

if [ "${root-}" = flint:live ]; then
	rootok=1
fi

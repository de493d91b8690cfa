#!/bin/bash
# dracut cmdline hook (kola test module): root=flint:live is handled by kola-live-generator.
# shellcheck disable=SC2034 # rootok is read by dracut-cmdline.sh
[ "${root-}" = flint:live ] && rootok=1

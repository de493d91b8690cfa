file /usr/local/bin/script '#!/bin/sh\necho hello from http\n'
mode /usr/local/bin/script 755

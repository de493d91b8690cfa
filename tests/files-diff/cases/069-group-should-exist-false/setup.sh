groupadd --root "$1" -g 1700 oldgrp

import sys

from pmas.cli import main

sys.exit(main())

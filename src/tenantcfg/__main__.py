"""``python -m tenantcfg`` runs the command line."""

import sys

from tenantcfg.cli import main

sys.exit(main())

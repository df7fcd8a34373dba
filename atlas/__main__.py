"""`python -m atlas`: launches the terminal front end (`cli/`), which lives outside the domain
package because it draws maps with `layers` (the one module of `atlas` allowed to import it)."""

import sys

from cli.main import main

sys.exit(main())

import sys

from aktina_ml.cli import main

sys.exit(main())

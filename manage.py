#!/usr/bin/env python
import sys

from krabuan.cli import main

if __name__ == "__main__":
    sys.exit(main())

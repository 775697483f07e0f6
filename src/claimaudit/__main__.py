from claimaudit.cli import main

raise SystemExit(main())

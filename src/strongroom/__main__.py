from strongroom.cli.entry import main

raise SystemExit(main())

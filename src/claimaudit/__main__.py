from claimaudit.cli import run

run()

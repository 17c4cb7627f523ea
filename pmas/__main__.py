from pmas.cli import run

run()

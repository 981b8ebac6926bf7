from os1.interfaces.cli.app import main

main()

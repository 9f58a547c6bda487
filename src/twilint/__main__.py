from twilint.cli import main

main()

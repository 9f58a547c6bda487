from twilint.cli import console

console()

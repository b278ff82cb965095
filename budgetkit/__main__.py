from budgetkit.cli import main

main()

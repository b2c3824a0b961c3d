from trackdesign.cli import main

main()

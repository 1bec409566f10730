validate notes.txt

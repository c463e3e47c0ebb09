"""`make bench`: scaling, sign-up integrity and load measurements on scratch databases."""

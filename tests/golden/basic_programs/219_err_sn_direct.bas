X=

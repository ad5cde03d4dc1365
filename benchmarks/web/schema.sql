-- TechEmpower's database (benchmarks/web.sh): World, 10,000 rows of (id, randomNumber 1..10000), and Fortune, the
-- benchmark's 12 fortunes (one of them a script tag, which every server must escape; one in Japanese, for UTF-8).
SET NAMES utf8mb4;
CREATE TABLE World (
    id INT NOT NULL PRIMARY KEY,
    randomNumber INT NOT NULL DEFAULT 0
) ENGINE=InnoDB;
SET SESSION max_recursive_iterations = 100000;
INSERT INTO World (id, randomNumber)
    WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10000)
    SELECT n, 1 + FLOOR(RAND() * 10000) FROM seq;
CREATE TABLE Fortune (
    id INT NOT NULL PRIMARY KEY,
    message VARCHAR(2048) CHARACTER SET utf8mb4 NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO Fortune (id, message) VALUES
    (1, 'fortune: No such file or directory'),
    (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
    (3, 'After enough decimal places, nobody gives a damn.'),
    (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
    (5, 'A computer program does what you tell it to do, not what you want it to do.'),
    (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
    (7, 'Any program that runs right is obsolete.'),
    (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
    (9, 'Feature: A bug with seniority.'),
    (10, 'Computers make very fast, very accurate mistakes.'),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, 'フレームワークのベンチマーク');

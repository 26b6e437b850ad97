#!/usr/bin/env python3
"""Generate fictional recipients (judges of Belarusian district/city courts) as CSV.

Usage:
    python3 recipients/gen-judges.py N [--seed S] [--crlf] > recipients.csv

recipients/judges.csv is `python3 recipients/gen-judges.py 413` (seed 1), and
tests/meson.build checks that byte for byte. Brought in from the project's
reference material (../shared/bench/gen-recipients.py), unchanged but for
this docstring.

Writes N rows plus a header row to standard output, UTF-8 without BOM, with
RFC 4180 quoting (fields that hold a comma, a double quote or a line break are
quoted; a quote inside is doubled). Line breaks are LF; --crlf writes CRLF as
RFC 4180 itself prescribes.

Deterministic: the same N and seed give byte-identical output (only
random.Random(seed) with random(), randrange() and choice() is used, whose
sequences are stable across Python 3 versions). Standard library only.

Every person is a random combination of common given names, patronymics and
surnames; none is meant to be a real judge. Court addresses (street, building,
postcode) are invented too: plausible, in the right regional postcode range,
but not the real addresses of those courts.

Columns:
    id, surname, given_name, patronymic, gender, position, court, street,
    building, office, postcode, city, district, region, country, lang
About 65 % of rows are in Russian spelling (lang=ru), about 35 % in Belarusian
spelling (lang=be). Belarusian apostrophes are U+0027 (as typed on a
Belarusian keyboard layout).
"""

import argparse
import csv
import random
import sys

DEFAULT_SEED = 1

COLUMNS = ["id", "surname", "given_name", "patronymic", "gender", "position",
           "court", "street", "building", "office", "postcode", "city",
           "district", "region", "country", "lang"]

# --- people --------------------------------------------------------------

# (Russian, Belarusian)
MALE_NAMES = [
    ("Александр", "Аляксандр"), ("Сергей", "Сяргей"), ("Андрей", "Андрэй"),
    ("Дмитрий", "Дзмітрый"), ("Алексей", "Аляксей"), ("Виктор", "Віктар"),
    ("Владимир", "Уладзімір"), ("Николай", "Мікалай"), ("Игорь", "Ігар"),
    ("Олег", "Алег"), ("Павел", "Павел"), ("Юрий", "Юрый"),
    ("Михаил", "Міхаіл"), ("Евгений", "Яўген"), ("Иван", "Іван"),
    ("Вячеслав", "Вячаслаў"), ("Геннадий", "Генадзь"), ("Василий", "Васіль"),
    ("Анатолий", "Анатоль"), ("Валерий", "Валерый"), ("Пётр", "Пятро"),
    ("Фёдор", "Фёдар"), ("Семён", "Сямён"), ("Артём", "Арцём"),
    ("Максим", "Максім"), ("Денис", "Дзяніс"), ("Илья", "Ілья"),
    ("Константин", "Канстанцін"), ("Григорий", "Рыгор"), ("Леонид", "Леанід"),
]

FEMALE_NAMES = [
    ("Ольга", "Вольга"), ("Наталья", "Наталля"), ("Елена", "Алена"),
    ("Татьяна", "Таццяна"), ("Ирина", "Ірына"), ("Светлана", "Святлана"),
    ("Анна", "Ганна"), ("Мария", "Марыя"), ("Людмила", "Людміла"),
    ("Галина", "Галіна"), ("Юлия", "Юлія"), ("Екатерина", "Кацярына"),
    ("Марина", "Марына"), ("Дарья", "Дар'я"), ("Оксана", "Аксана"),
    ("Валентина", "Валянціна"), ("Алла", "Ала"), ("Вера", "Вера"),
    ("Алёна", "Алёна"), ("Жанна", "Жанна"), ("Инна", "Іна"),
    ("Надежда", "Надзея"), ("Лариса", "Ларыса"), ("Анастасия", "Анастасія"),
    ("Виктория", "Вікторыя"), ("Ксения", "Ксенія"), ("Софья", "Соф'я"),
]

# patronymic from the father's name: (ru m, ru f, be m, be f)
PATRONYMICS = [
    ("Александрович", "Александровна", "Аляксандравіч", "Аляксандраўна"),
    ("Сергеевич", "Сергеевна", "Сяргеевіч", "Сяргееўна"),
    ("Андреевич", "Андреевна", "Андрэевіч", "Андрэеўна"),
    ("Дмитриевич", "Дмитриевна", "Дзмітрыевіч", "Дзмітрыеўна"),
    ("Алексеевич", "Алексеевна", "Аляксеевіч", "Аляксееўна"),
    ("Викторович", "Викторовна", "Віктаравіч", "Віктараўна"),
    ("Владимирович", "Владимировна", "Уладзіміравіч", "Уладзіміраўна"),
    ("Николаевич", "Николаевна", "Мікалаевіч", "Мікалаеўна"),
    ("Игоревич", "Игоревна", "Ігаравіч", "Ігараўна"),
    ("Олегович", "Олеговна", "Алегавіч", "Алегаўна"),
    ("Павлович", "Павловна", "Паўлавіч", "Паўлаўна"),
    ("Юрьевич", "Юрьевна", "Юр'евіч", "Юр'еўна"),
    ("Михайлович", "Михайловна", "Міхайлавіч", "Міхайлаўна"),
    ("Евгеньевич", "Евгеньевна", "Яўгенавіч", "Яўгенаўна"),
    ("Иванович", "Ивановна", "Іванавіч", "Іванаўна"),
    ("Вячеславович", "Вячеславовна", "Вячаслававіч", "Вячаславаўна"),
    ("Геннадьевич", "Геннадьевна", "Генадзевіч", "Генадзеўна"),
    ("Васильевич", "Васильевна", "Васілевіч", "Васілеўна"),
    ("Анатольевич", "Анатольевна", "Анатолевіч", "Анатолеўна"),
    ("Валерьевич", "Валерьевна", "Валер'евіч", "Валер'еўна"),
    ("Петрович", "Петровна", "Пятровіч", "Пятроўна"),
    ("Фёдорович", "Фёдоровна", "Фёдаравіч", "Фёдараўна"),
    ("Семёнович", "Семёновна", "Сямёнавіч", "Сямёнаўна"),
    ("Леонидович", "Леонидовна", "Леанідавіч", "Леанідаўна"),
    ("Григорьевич", "Григорьевна", "Рыгоравіч", "Рыгораўна"),
]

# surnames: (ru m, ru f, be m, be f); many Belarusian surnames do not change
# with gender (-ич/-іч, -енко/-енка, -ук, -ик, -ок/-ак, -ец ...).
SURNAMES = [
    ("Иванов", "Иванова", "Іваноў", "Іванова"),
    ("Петров", "Петрова", "Пятроў", "Пятрова"),
    ("Козлов", "Козлова", "Казлоў", "Казлова"),
    ("Новиков", "Новикова", "Навікаў", "Навікава"),
    ("Морозов", "Морозова", "Марозаў", "Марозава"),
    ("Волков", "Волкова", "Ваўкоў", "Ваўкова"),
    ("Соколов", "Соколова", "Сакалоў", "Сакалова"),
    ("Лебедев", "Лебедева", "Лебедзеў", "Лебедзева"),
    ("Кузнецов", "Кузнецова", "Кузняцоў", "Кузняцова"),
    ("Ковалёв", "Ковалёва", "Кавалёў", "Кавалёва"),
    ("Громов", "Громова", "Грамаў", "Грамава"),
    ("Жуков", "Жукова", "Жукаў", "Жукава"),
    ("Зайцев", "Зайцева", "Зайцаў", "Зайцава"),
    ("Королёв", "Королёва", "Каралёў", "Каралёва"),
    ("Семёнов", "Семёнова", "Сямёнаў", "Сямёнава"),
    ("Фёдоров", "Фёдорова", "Фёдараў", "Фёдарава"),
    ("Зимин", "Зимина", "Зімін", "Зіміна"),
    ("Ковальский", "Ковальская", "Кавальскі", "Кавальская"),
    ("Жуковский", "Жуковская", "Жукоўскі", "Жукоўская"),
    ("Савицкий", "Савицкая", "Савіцкі", "Савіцкая"),
    ("Высоцкий", "Высоцкая", "Высоцкі", "Высоцкая"),
    ("Данилевский", "Данилевская", "Данілеўскі", "Данілеўская"),
    ("Карпович", "Карпович", "Карповіч", "Карповіч"),
    ("Лукашевич", "Лукашевич", "Лукашэвіч", "Лукашэвіч"),
    ("Янович", "Янович", "Яновіч", "Яновіч"),
    ("Адамович", "Адамович", "Адамовіч", "Адамовіч"),
    ("Климович", "Климович", "Клімовіч", "Клімовіч"),
    ("Тарасевич", "Тарасевич", "Тарасевіч", "Тарасевіч"),
    ("Пашкевич", "Пашкевич", "Пашкевіч", "Пашкевіч"),
    ("Сидорович", "Сидорович", "Сідаровіч", "Сідаровіч"),
    ("Радкевич", "Радкевич", "Радкевіч", "Радкевіч"),
    ("Коваленко", "Коваленко", "Каваленка", "Каваленка"),
    ("Бондаренко", "Бондаренко", "Бандарэнка", "Бандарэнка"),
    ("Кравченко", "Кравченко", "Краўчэнка", "Краўчэнка"),
    ("Гончаренко", "Гончаренко", "Ганчарэнка", "Ганчарэнка"),
    ("Романюк", "Романюк", "Раманюк", "Раманюк"),
    ("Мартынюк", "Мартынюк", "Мартынюк", "Мартынюк"),
    ("Новик", "Новик", "Навік", "Навік"),
    ("Ковальчик", "Ковальчик", "Кавальчык", "Кавальчык"),
    ("Дубовик", "Дубовик", "Дубовік", "Дубовік"),
    ("Мельник", "Мельник", "Мельнік", "Мельнік"),
    ("Макаёнок", "Макаёнок", "Макаёнак", "Макаёнак"),
    ("Шпак", "Шпак", "Шпак", "Шпак"),
    ("Жук", "Жук", "Жук", "Жук"),
    ("Кравец", "Кравец", "Кравец", "Кравец"),
    ("Шевчук", "Шевчук", "Шаўчук", "Шаўчук"),
]

POSITIONS = [  # (ru, be, weight)
    ("судья", "суддзя", 90),
    ("председатель суда", "старшыня суда", 5),
    ("заместитель председателя суда", "намеснік старшыні суда", 5),
]

# --- courts --------------------------------------------------------------

REGIONS = {
    # key: (ru, be, postcode prefixes for the regional centre, for the rest)
    "minsk": ("г. Минск", "г. Мінск", ("220",), ("220",)),
    "minsk-obl": ("Минская область", "Мінская вобласць", ("222", "223"), ("222", "223")),
    "brest": ("Брестская область", "Брэсцкая вобласць", ("224",), ("225",)),
    "vitebsk": ("Витебская область", "Віцебская вобласць", ("210",), ("211",)),
    "gomel": ("Гомельская область", "Гомельская вобласць", ("246",), ("247",)),
    "grodno": ("Гродненская область", "Гродзенская вобласць", ("230",), ("231",)),
    "mogilev": ("Могилёвская область", "Магілёўская вобласць", ("212",), ("213",)),
}

# Cities: key -> (region, ru, be, ru genitive, be genitive, is regional centre)
CITIES = {
    "minsk": ("minsk", "Минск", "Мінск", "Минска", "Мінска", True),
    "brest": ("brest", "Брест", "Брэст", "Бреста", "Брэста", True),
    "vitebsk": ("vitebsk", "Витебск", "Віцебск", "Витебска", "Віцебска", True),
    "gomel": ("gomel", "Гомель", "Гомель", "Гомеля", "Гомеля", True),
    "grodno": ("grodno", "Гродно", "Гродна", "Гродно", "Гродна", True),
    "mogilev": ("mogilev", "Могилёв", "Магілёў", "Могилёва", "Магілёва", True),
    "bobruisk": ("mogilev", "Бобруйск", "Бабруйск", "Бобруйска", "Бабруйска", False),
    "zhodino": ("minsk-obl", "Жодино", "Жодзіна", "Жодино", "Жодзіна", False),
    "novopolotsk": ("vitebsk", "Новополоцк", "Наваполацк", "Новополоцка", "Наваполацка", False),
}

# Courts of a district of a city ("Суд Ленинского района г. Минска"):
# (city key, district adjective ru, be)
CITY_DISTRICT_COURTS = [
    ("minsk", "Заводской", "Заводскі"), ("minsk", "Ленинский", "Ленінскі"),
    ("minsk", "Московский", "Маскоўскі"), ("minsk", "Октябрьский", "Кастрычніцкі"),
    ("minsk", "Партизанский", "Партызанскі"), ("minsk", "Первомайский", "Першамайскі"),
    ("minsk", "Советский", "Савецкі"), ("minsk", "Фрунзенский", "Фрунзенскі"),
    ("minsk", "Центральный", "Цэнтральны"),
    ("brest", "Ленинский", "Ленінскі"), ("brest", "Московский", "Маскоўскі"),
    ("vitebsk", "Железнодорожный", "Чыгуначны"), ("vitebsk", "Октябрьский", "Кастрычніцкі"),
    ("vitebsk", "Первомайский", "Першамайскі"),
    ("gomel", "Центральный", "Цэнтральны"), ("gomel", "Советский", "Савецкі"),
    ("gomel", "Железнодорожный", "Чыгуначны"), ("gomel", "Новобелицкий", "Навабеліцкі"),
    ("grodno", "Ленинский", "Ленінскі"), ("grodno", "Октябрьский", "Кастрычніцкі"),
    ("mogilev", "Ленинский", "Ленінскі"), ("mogilev", "Октябрьский", "Кастрычніцкі"),
    ("bobruisk", "Ленинский", "Ленінскі"), ("bobruisk", "Первомайский", "Першамайскі"),
]

# Courts of a rural district ("Суд Пинского района"), seated in a town:
# (region, district adjective ru, be, town ru, be, postcode head of the town)
DISTRICT_COURTS = [
    ("minsk-obl", "Борисовский", "Барысаўскі", "Борисов", "Барысаў", "2221"),
    ("minsk-obl", "Молодечненский", "Маладзечанскі", "Молодечно", "Маладзечна", "2223"),
    ("minsk-obl", "Солигорский", "Салігорскі", "Солигорск", "Салігорск", "2237"),
    ("minsk-obl", "Слуцкий", "Слуцкі", "Слуцк", "Слуцк", "2236"),
    ("minsk-obl", "Дзержинский", "Дзяржынскі", "Дзержинск", "Дзяржынск", "2227"),
    ("minsk-obl", "Вилейский", "Вілейскі", "Вилейка", "Вілейка", "2224"),
    ("minsk-obl", "Несвижский", "Нясвіжскі", "Несвиж", "Нясвіж", "2226"),
    ("minsk-obl", "Столбцовский", "Стаўбцоўскі", "Столбцы", "Стоўбцы", "2226"),
    ("minsk-obl", "Логойский", "Лагойскі", "Логойск", "Лагойск", "2231"),
    ("minsk-obl", "Червенский", "Чэрвеньскі", "Червень", "Чэрвень", "2232"),
    ("minsk-obl", "Пуховичский", "Пухавіцкі", "Марьина Горка", "Мар'іна Горка", "2228"),
    ("minsk-obl", "Воложинский", "Валожынскі", "Воложин", "Валожын", "2223"),
    ("brest", "Брестский", "Брэсцкі", "Брест", "Брэст", "2240"),
    ("brest", "Барановичский", "Баранавіцкі", "Барановичи", "Баранавічы", "2254"),
    ("brest", "Пинский", "Пінскі", "Пинск", "Пінск", "2257"),
    ("brest", "Кобринский", "Кобрынскі", "Кобрин", "Кобрын", "2253"),
    ("brest", "Березовский", "Бярозаўскі", "Береза", "Бяроза", "2252"),
    ("brest", "Лунинецкий", "Лунінецкі", "Лунинец", "Лунінец", "2256"),
    ("brest", "Ивановский", "Іванаўскі", "Иваново", "Іванава", "2257"),
    ("brest", "Пружанский", "Пружанскі", "Пружаны", "Пружаны", "2251"),
    ("brest", "Столинский", "Столінскі", "Столин", "Столін", "2255"),
    ("brest", "Каменецкий", "Камянецкі", "Каменец", "Камянец", "2250"),
    ("vitebsk", "Витебский", "Віцебскі", "Витебск", "Віцебск", "2100"),
    ("vitebsk", "Оршанский", "Аршанскі", "Орша", "Орша", "2110"),
    ("vitebsk", "Полоцкий", "Полацкі", "Полоцк", "Полацк", "2114"),
    ("vitebsk", "Глубокский", "Глыбоцкі", "Глубокое", "Глыбокае", "2118"),
    ("vitebsk", "Лепельский", "Лепельскі", "Лепель", "Лепель", "2111"),
    ("vitebsk", "Поставский", "Пастаўскі", "Поставы", "Паставы", "2118"),
    ("vitebsk", "Браславский", "Браслаўскі", "Браслав", "Браслаў", "2119"),
    ("vitebsk", "Городокский", "Гарадоцкі", "Городок", "Гарадок", "2115"),
    ("gomel", "Гомельский", "Гомельскі", "Гомель", "Гомель", "2460"),
    ("gomel", "Мозырский", "Мазырскі", "Мозырь", "Мазыр", "2477"),
    ("gomel", "Жлобинский", "Жлобінскі", "Жлобин", "Жлобін", "2472"),
    ("gomel", "Речицкий", "Рэчыцкі", "Речица", "Рэчыца", "2475"),
    ("gomel", "Светлогорский", "Светлагорскі", "Светлогорск", "Светлагорск", "2474"),
    ("gomel", "Калинковичский", "Калінкавіцкі", "Калинковичи", "Калінкавічы", "2477"),
    ("gomel", "Рогачёвский", "Рагачоўскі", "Рогачёв", "Рагачоў", "2476"),
    ("gomel", "Добрушский", "Добрушскі", "Добруш", "Добруш", "2470"),
    ("grodno", "Гродненский", "Гродзенскі", "Гродно", "Гродна", "2300"),
    ("grodno", "Лидский", "Лідскі", "Лида", "Ліда", "2313"),
    ("grodno", "Слонимский", "Слонімскі", "Слоним", "Слонім", "2318"),
    ("grodno", "Волковысский", "Ваўкавыскі", "Волковыск", "Ваўкавыск", "2319"),
    ("grodno", "Сморгонский", "Смаргонскі", "Сморгонь", "Смаргонь", "2310"),
    ("grodno", "Новогрудский", "Навагрудскі", "Новогрудок", "Навагрудак", "2314"),
    ("grodno", "Щучинский", "Шчучынскі", "Щучин", "Шчучын", "2315"),
    ("grodno", "Ошмянский", "Ашмянскі", "Ошмяны", "Ашмяны", "2311"),
    ("grodno", "Мостовский", "Мастоўскі", "Мосты", "Масты", "2316"),
    ("mogilev", "Могилёвский", "Магілёўскі", "Могилёв", "Магілёў", "2120"),
    ("mogilev", "Осиповичский", "Асіповіцкі", "Осиповичи", "Асіповічы", "2137"),
    ("mogilev", "Кричевский", "Крычаўскі", "Кричев", "Крычаў", "2135"),
    ("mogilev", "Горецкий", "Горацкі", "Горки", "Горкі", "2134"),
    ("mogilev", "Шкловский", "Шклоўскі", "Шклов", "Шклоў", "2130"),
    ("mogilev", "Быховский", "Быхаўскі", "Быхов", "Быхаў", "2133"),
    ("mogilev", "Климовичский", "Клімавіцкі", "Климовичи", "Клімавічы", "2136"),
]

# Courts of a whole town ("Суд г. Жодино"): city keys
CITY_COURTS = ["zhodino", "novopolotsk"]

STREETS = [  # (ru, be); the building number is a separate column
    ("ул. Ленина", "вул. Леніна"), ("ул. Советская", "вул. Савецкая"),
    ("ул. Пушкина", "вул. Пушкіна"), ("ул. Кирова", "вул. Кірава"),
    ("ул. Гагарина", "вул. Гагарына"), ("ул. Комсомольская", "вул. Камсамольская"),
    ("ул. Первомайская", "вул. Першамайская"), ("ул. Садовая", "вул. Садовая"),
    ("ул. Мира", "вул. Міра"), ("ул. Октябрьская", "вул. Кастрычніцкая"),
    ("ул. Пролетарская", "вул. Пралетарская"), ("ул. Якуба Коласа", "вул. Якуба Коласа"),
    ("ул. Янки Купалы", "вул. Янкі Купалы"), ("ул. Интернациональная", "вул. Інтэрнацыянальная"),
    ("ул. Замковая", "вул. Замкавая"), ("ул. Московская", "вул. Маскоўская"),
    ("ул. Калинина", "вул. Калініна"), ("ул. Чкалова", "вул. Чкалава"),
    ("ул. Молодёжная", "вул. Маладзёжная"), ("ул. Школьная", "вул. Школьная"),
    ("ул. Заречная", "вул. Зарэчная"), ("ул. Набережная", "вул. Набярэжная"),
    ("пл. Свободы", "пл. Свабоды"), ("пл. Победы", "пл. Перамогі"),
    ("пер. Почтовый", "зав. Паштовы"), ("б-р Шевченко", "б-р Шаўчэнкі"),
]

AVENUES = [  # only in Minsk and the regional centres
    ("пр-т Независимости", "пр-т Незалежнасці"), ("пр-т Победителей", "пр-т Пераможцаў"),
    ("пр-т Машерова", "пр-т Машэрава"), ("пр-т Мира", "пр-т Міра"),
]


def gen_ru(adj):
    """Russian adjective, nominative masculine -> genitive (Ленинский -> Ленинского)."""
    return adj[:-2] + "ого"


def gen_be(adj):
    """Belarusian adjective, nominative masculine -> genitive (Ленінскі -> Ленінскага)."""
    return adj[:-1] + "ага"


def postcode(rng, head):
    """A 6-digit postcode beginning with head (3 or 4 digits)."""
    if len(head) == 3:
        if head == "220":          # Minsk: 220001 .. 220141
            return "220%03d" % rng.randrange(1, 142)
        return head + "%03d" % rng.randrange(0, 1000)
    return head + "%02d" % rng.randrange(0, 100)


def building(rng):
    n = str(rng.randrange(1, 160))
    r = rng.random()
    if r < 0.10:
        return (n + "А", n + "А")
    if r < 0.16:
        s = "%s/%d" % (n, rng.randrange(1, 5))
        return (s, s)
    if r < 0.24:  # a comma inside the field: must be quoted in CSV
        k = rng.randrange(1, 4)
        return ("%s, корп. %d" % (n, k), "%s, корп. %d" % (n, k))
    return (n, n)


def build_courts(rng):
    """List of courts, each a dict with ru/be text and a fixed invented address."""
    courts = []

    def address(region, city_is_centre, head=None):
        st = rng.choice(STREETS + AVENUES if city_is_centre else STREETS)
        b = building(rng)
        if head is None:
            prefixes = REGIONS[region][2] if city_is_centre else REGIONS[region][3]
            head = rng.choice(prefixes)
        pc = postcode(rng, head)
        # about one court in twelve writes the building into the street
        # field ("ул. Ленина, 12"), leaving building empty
        if rng.random() < 1.0 / 12 and "," not in b[0]:
            return ((st[0] + ", " + b[0], ""), (st[1] + ", " + b[1], ""), pc)
        return ((st[0], b[0]), (st[1], b[1]), pc)

    for city_key, adj_ru, adj_be in CITY_DISTRICT_COURTS:
        region, c_ru, c_be, g_ru, g_be, centre = CITIES[city_key]
        ru_addr, be_addr, pc = address(region, centre)
        courts.append({
            "region": region, "postcode": pc,
            "ru": {"court": "Суд %s района г. %s" % (gen_ru(adj_ru), g_ru),
                   "street": ru_addr[0], "building": ru_addr[1], "city": c_ru,
                   "district": adj_ru + " район"},
            "be": {"court": "Суд %s раёна г. %s" % (gen_be(adj_be), g_be),
                   "street": be_addr[0], "building": be_addr[1], "city": c_be,
                   "district": adj_be + " раён"},
        })
    for region, adj_ru, adj_be, town_ru, town_be, head in DISTRICT_COURTS:
        ru_addr, be_addr, pc = address(region, False, head)
        courts.append({
            "region": region, "postcode": pc,
            "ru": {"court": "Суд %s района" % gen_ru(adj_ru),
                   "street": ru_addr[0], "building": ru_addr[1], "city": town_ru,
                   "district": adj_ru + " район"},
            "be": {"court": "Суд %s раёна" % gen_be(adj_be),
                   "street": be_addr[0], "building": be_addr[1], "city": town_be,
                   "district": adj_be + " раён"},
        })
    for city_key in CITY_COURTS:
        region, c_ru, c_be, g_ru, g_be, centre = CITIES[city_key]
        ru_addr, be_addr, pc = address(region, centre)
        courts.append({
            "region": region, "postcode": pc,
            "ru": {"court": "Суд г. %s" % g_ru, "street": ru_addr[0],
                   "building": ru_addr[1], "city": c_ru, "district": ""},
            "be": {"court": "Суд г. %s" % g_be, "street": be_addr[0],
                   "building": be_addr[1], "city": c_be, "district": ""},
        })
    return courts


def weighted(rng, items):
    total = sum(w for *_, w in items)
    x = rng.random() * total
    for item in items:
        x -= item[-1]
        if x < 0:
            return item
    return items[-1]


def person(rng, lang):
    li = 0 if lang == "ru" else 1
    gender = "f" if rng.random() < 0.58 else "m"
    gi = 0 if gender == "m" else 1
    given = rng.choice(MALE_NAMES if gender == "m" else FEMALE_NAMES)[li]
    patr = rng.choice(PATRONYMICS)[2 * li + gi]
    sur = rng.choice(SURNAMES)[2 * li + gi]
    if rng.random() < 0.015:  # a few double-barrelled surnames
        second = rng.choice(SURNAMES)[2 * li + gi]
        if second != sur:
            sur = sur + "-" + second
    return sur, given, patr, gender


def generate(n, seed, out, crlf=False):
    rng = random.Random(seed)
    courts = build_courts(rng)
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n",
                   quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    for i in range(1, n + 1):
        lang = "ru" if rng.random() < 0.65 else "be"
        sur, given, patr, gender = person(rng, lang)
        court = rng.choice(courts)
        c = court[lang]
        pos = weighted(rng, POSITIONS)[0 if lang == "ru" else 1]
        office = ""
        if rng.random() < 0.02:
            office = "каб. %d" % rng.randrange(101, 420)
        region = REGIONS[court["region"]][0 if lang == "ru" else 1]
        w.writerow([i, sur, given, patr, gender, pos, c["court"], c["street"],
                    c["building"], office, court["postcode"], c["city"],
                    c["district"], region, "Беларусь", lang])


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Write N fictional recipients (Belarusian judges) as UTF-8 CSV to stdout.")
    ap.add_argument("n", type=int, help="number of recipients (rows after the header)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED,
                    help="random seed (default %d)" % DEFAULT_SEED)
    ap.add_argument("--crlf", action="store_true",
                    help="end lines with CRLF (RFC 4180) instead of LF")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)
    generate(args.n, args.seed, out, args.crlf)
    out.flush()


if __name__ == "__main__":
    main()

"""Everything the bot says in its own words, in English, Ukrainian, Romanian and Russian.

Source text is never translated: only these words around it are. ``say(key, lang, **values)``
fills a message; an unknown language falls back to English, an unknown key is an error.

>>> say("not_found", "uk", question="Хто написав «Гамлета»?")
'Не знайдено: у статтях немає відповіді на «Хто написав «Гамлета»?».'
>>> say("more_sources", "ro", n=3)
'Mai multe surse (3)'
>>> articles(3, "ru"), articles(5, "uk"), articles(21, "ro"), articles(1, "en")
('3 статьи', '5 статей', '21 de articole', '1 article')
"""

from __future__ import annotations

import errno
import re

from bot.language import DEFAULT, LANGUAGES

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": {
        "en": "Not found: nothing in the corpus answers “{question}”.",
        "uk": "Не знайдено: у статтях немає відповіді на «{question}».",
        "ro": "Nu am găsit: niciun articol nu răspunde la „{question}”.",
        "ru": "Не найдено: в статьях нет ответа на «{question}».",
    },
    "follow_up_alone": {  # a follow-up not found with no earlier question to read it with: the articles may say it
        "en": "“{question}” follows on from an earlier question, and there is none: ask it in full, saying who or what it "
              "is about.",
        "uk": "«{question}» продовжує попереднє запитання, а його немає: запитайте повністю, про кого чи про що йдеться.",
        "ro": "„{question}” continuă o întrebare anterioară, care nu există: întrebați complet, despre cine sau despre ce "
              "este vorba.",
        "ru": "«{question}» продолжает предыдущий вопрос, а его нет: спросите полностью, о ком или о чём речь.",
    },
    "unread_language": {
        "en": "I cannot read “{question}”: here I read questions in English only. Please ask in English.",
        "uk": "Я не можу прочитати «{question}»: тут я розумію запитання лише англійською. Будь ласка, запитайте англійською.",
        "ro": "Nu pot citi „{question}”: aici înțeleg doar întrebări în engleză. Vă rog să întrebați în engleză.",
        "ru": "Я не могу прочитать «{question}»: здесь я понимаю вопросы только на английском. Пожалуйста, спросите по-английски.",
    },
    "unread_script": {
        "en": "I cannot read “{question}”: I read questions in English, Ukrainian, Romanian and Russian.",
        "uk": "Я не можу прочитати «{question}»: я розумію запитання англійською, українською, румунською та російською.",
        "ro": "Nu pot citi „{question}”: înțeleg întrebări în engleză, ucraineană, română și rusă.",
        "ru": "Я не могу прочитать «{question}»: я понимаю вопросы на английском, украинском, румынском и русском.",
    },
    "see_sources": {
        "en": "See /sources for the articles I know.",
        "uk": "Статті, які я знаю: /sources.",
        "ro": "Articolele pe care le cunosc: /sources.",
        "ru": "Статьи, которые я знаю: /sources.",
    },
    "uncertain": {
        "en": "This may not answer it exactly; the closest passage:",
        "uk": "Можливо, це не зовсім відповідь; найближчий уривок:",
        "ro": "Poate nu răspunde exact; cel mai apropiat pasaj:",
        "ru": "Возможно, это не совсем ответ; ближайший фрагмент:",
    },
    "also_reported_by": {
        "en": "Also reported by",
        "uk": "Також повідомляють",
        "ro": "Relatează și",
        "ru": "Также сообщают",
    },
    "reported_differently_by": {
        "en": "Reported differently by",
        "uk": "Інакше повідомляють",
        "ro": "Relatează altfel",
        "ru": "Иначе сообщают",
    },
    "reported_differently_as": {  # the other report's sentence, quoted as the language quotes, and its article
        "en": "“{sentence}” — {source}",
        "uk": "«{sentence}» — {source}",
        "ro": "„{sentence}” — {source}",
        "ru": "«{sentence}» — {source}",
    },
    "help_intro": {
        "en": "I answer questions about {summary}, quoting the exact sentence that answers and citing its article.",
        "uk": "Мої джерела — {summary}. Я відповідаю на запитання про них: цитую речення, яке відповідає, і вказую, з якої воно статті.",
        "ro": "Sursele mele: {summary}. Răspund la întrebări despre ele citând exact propoziția care răspunde și articolul ei.",
        "ru": "Мои источники — {summary}. Я отвечаю на вопросы о них: цитирую предложение, которое отвечает, и указываю, из какой оно статьи.",
    },
    "help_how": {
        "en": "Ask in plain words. In a group, write /ask and your question, mention me, or reply to one of my messages.",
        "uk": "Питайте звичайними словами. У групі напишіть /ask і своє запитання, згадайте мене або дайте відповідь на моє повідомлення.",
        "ro": "Întrebați în cuvinte simple. Într-un grup, scrieți /ask și întrebarea, menționați-mă sau răspundeți la un mesaj de-al meu.",
        "ru": "Спрашивайте простыми словами. В группе напишите /ask и свой вопрос, упомяните меня или ответьте на моё сообщение.",
    },
    "for_example": {"en": "For example:", "uk": "Наприклад:", "ro": "De exemplu:", "ru": "Например:"},
    "example_question": {
        "en": "What do the articles say about {name}?",
        "uk": "Що пишуть статті про {name}?",
        "ro": "Ce scriu articolele despre {name}?",
        "ru": "Что пишут статьи про {name}?",  # not "о": "об Emmanuel Macron" would be wanted
    },
    "help_more": {
        "en": "/sources lists the articles. A follow-up like “And when?” is read with your previous question; /reset (or /new) forgets it.",
        "uk": "/sources показує перелік статей. Уточнення на кшталт «А коли?» я читаю разом із вашим попереднім запитанням; /reset (або /new) його забуває.",
        "ro": "/sources arată lista articolelor. O întrebare de continuare precum „Și când?” o citesc împreună cu întrebarea anterioară; /reset (sau /new) o uită.",
        "ru": "/sources показывает список статей. Уточнение вроде «А когда?» я читаю вместе с вашим предыдущим вопросом; /reset (или /new) его забывает.",
    },
    "dated_one": {"en": ", dated {date}", "uk": ", {date}", "ro": ", {date}", "ru": ", {date}"},
    "dated_range": {
        "en": ", dated {first} to {last}", "uk": ", {first} – {last}", "ro": ", {first} – {last}", "ru": ", {first} – {last}",
    },
    # some articles dated, some not: not "dated 2023-04-20" of them all
    "dated_some_one": {
        "en": ", {dated} dated {date}, {undated} undated", "uk": ", {dated} з датою {date}, {undated} без дати",
        "ro": ", {dated} cu data {date}, {undated} fără dată", "ru": ", {dated} с датой {date}, {undated} без даты",
    },
    "dated_some_range": {
        "en": ", {dated} dated {first} to {last}, {undated} undated",
        "uk": ", {dated} з датами {first} – {last}, {undated} без дати",
        "ro": ", {dated} cu date {first} – {last}, {undated} fără dată",
        "ru": ", {dated} с датами {first} – {last}, {undated} без даты",
    },
    "sources_intro": {
        "en": "I know {summary}, newest first:",
        "uk": "Мої джерела — {summary}; спочатку найновіші:",  # not "Я знаю 21 стаття": the count is nominative
        "ro": "Sursele mele: {summary}; mai întâi cele mai noi:",
        "ru": "Мои источники — {summary}; сначала самые новые:",
    },
    "sources_more": {  # /sources' page of 100: how to see the rest, or find one of them
        "en": "… and {n} more: {command} lists the next ones, /sources WORD those whose title, date or id has WORD.",
        "uk": "… і ще {n}: {command} показує наступні, /sources і слово — ті, у назві, даті чи ідентифікаторі яких воно є.",
        "ro": "… și încă {n}: {command} le arată pe următoarele, /sources și un cuvânt pe cele care îl au în titlu, dată "
              "sau identificator.",
        "ru": "… и ещё {n}: {command} показывает следующие, /sources и слово — те, в названии, дате или идентификаторе "
              "которых оно есть.",
    },
    "sources_more_found": {
        "en": "… and {n} more: {command} lists the next ones.", "uk": "… і ще {n}: {command} показує наступні.",
        "ro": "… și încă {n}: {command} le arată pe următoarele.", "ru": "… и ещё {n}: {command} показывает следующие.",
    },
    "sources_page": {
        "en": "Articles {first}–{last} of {total}, newest first:",
        "uk": "Статті {first}–{last} із {total}; спочатку найновіші:",
        "ro": "Articolele {first}–{last} din {total}; mai întâi cele mai noi:",
        "ru": "Статьи {first}–{last} из {total}; сначала самые новые:",
    },
    "sources_found": {  # {count}: articles(n), "3 articles"
        "en": "Titles, dates or ids with “{words}”: {count}, newest first:",
        "uk": "Назви, дати чи ідентифікатори з «{words}»: {count}; спочатку найновіші:",
        "ro": "Titluri, date sau identificatori cu „{words}”: {count}; mai întâi cele mai noi:",
        "ru": "Названия, даты или идентификаторы с «{words}»: {count}; сначала самые новые:",
    },
    "sources_none_found": {
        "en": "No article's title, date or id has “{words}”; /sources lists them all.",
        "uk": "Жодна назва, дата чи ідентифікатор статті не містить «{words}»; /sources показує всі статті.",
        "ro": "Niciun titlu, dată sau identificator de articol nu conține „{words}”; /sources le arată pe toate.",
        "ru": "Ни одно название, дата или идентификатор статьи не содержит «{words}»; /sources показывает все статьи.",
    },
    "sources_no_page": {
        "en": "There is no such page: the last is {command}.", "uk": "Такої сторінки немає: остання — {command}.",
        "ro": "Nu există o astfel de pagină: ultima este {command}.", "ru": "Такой страницы нет: последняя — {command}.",
    },
    "sources_one_page": {  # a page past the first of a list that has one: not "the last is /sources."
        "en": "There is only one page: {command}.", "uk": "Сторінка лише одна: {command}.",
        "ro": "Există o singură pagină: {command}.", "ru": "Страница только одна: {command}.",
    },
    "private": {
        "en": "Sorry, this is a private bot.",
        "uk": "Вибачте, це приватний бот.",
        "ro": "Ne pare rău, acesta este un bot privat.",
        "ru": "Извините, это закрытый бот.",
    },
    "not_text": {
        "en": "I answer text questions: type yours in words.",
        "uk": "Я відповідаю на текстові запитання: напишіть запитання текстом.",
        "ro": "Răspund la întrebări scrise: scrieți-mi întrebarea.",
        "ru": "Я отвечаю на текстовые вопросы: напишите вопрос текстом.",
    },
    "own_answer_forwarded": {  # a message of the bot's, forwarded back to it in a private chat
        "en": "That is my own answer, forwarded back. Ask me a question in your own words.",
        "uk": "Це моя власна відповідь, переслана назад. Поставте мені запитання своїми словами.",
        "ro": "Acesta este chiar răspunsul meu, trimis înapoi. Puneți-mi o întrebare cu propriile cuvinte.",
        "ru": "Это мой собственный ответ, пересланный обратно. Задайте мне вопрос своими словами.",
    },
    "apology": {
        "en": "Sorry, something went wrong while answering that. Please try again.",
        "uk": "Вибачте, під час відповіді щось пішло не так. Спробуйте ще раз.",
        "ro": "Ne pare rău, ceva nu a mers bine la răspuns. Încercați din nou.",
        "ru": "Извините, при ответе что-то пошло не так. Попробуйте ещё раз.",
    },
    # citebot ask/chat on stderr, after "citebot: ", while it builds the index the question needs (bot/cli.py)
    "index_missing": {
        "en": "no index yet: building it from the corpus…",
        "uk": "індексу ще немає: будую його з корпусу…",
        "ro": "încă nu există un index: îl construiesc din corpus…",
        "ru": "индекса ещё нет: строю его из корпуса…",
    },
    "index_stale": {
        "en": "the corpus changed: updating the index…",
        "uk": "корпус змінився: оновлюю індекс…",
        "ro": "corpusul s-a schimbat: actualizez indexul…",
        "ru": "корпус изменился: обновляю индекс…",
    },
    "index_outdated": {
        "en": "the index was built by another release of citebot, or of a library that reads its files (trafilatura, "
              "pypdf…): reading every file again, keeping the vectors of the passages it has…",
        "uk": "індекс побудувала інша версія citebot або бібліотеки, що читає його файли (trafilatura, pypdf…): читаю "
              "всі файли знову, зберігаючи вектори наявних уривків…",
        "ro": "indexul a fost construit de altă versiune a citebot sau a unei biblioteci care îi citește fișierele "
              "(trafilatura, pypdf…): citesc din nou toate fișierele, păstrând vectorii pasajelor pe care îi are…",
        "ru": "индекс построила другая версия citebot или библиотеки, читающей его файлы (trafilatura, pypdf…): читаю "
              "все файлы заново, сохраняя векторы имеющихся фрагментов…",
    },
    "index_built": {  # {articles}, {passages}, {embedded}: articles() and passages(); {skipped}: index_skipped or ""
        "en": "indexed {articles} into {passages} in {seconds} s ({embedded} embedded{skipped})",
        "uk": "проіндексовано: {articles}, {passages} за {seconds} с ({embedded} з новими векторами{skipped})",
        "ro": "indexat: {articles}, {passages} în {seconds} s ({embedded} cu vectori noi{skipped})",
        "ru": "проиндексировано: {articles}, {passages} за {seconds} с ({embedded} с новыми векторами{skipped})",
    },
    "index_skipped": {
        "en": ", {count} skipped",
        "uk": "; пропущено файлів: {count}",
        "ro": "; fișiere omise: {count}",
        "ru": "; пропущено файлов: {count}",
    },
    # citebot chat, when its watch took in a file dropped into (edited in, deleted from) the corpus folder by hand
    "corpus_changed": {  # {built}: index_built
        "en": "the corpus folder changed: {built}",
        "uk": "папка корпусу змінилася: {built}",
        "ro": "dosarul corpusului s-a schimbat: {built}",
        "ru": "папка корпуса изменилась: {built}",
    },
    "corpus_emptied": {
        "en": "the corpus folder changed: the index holds no articles now; add some with `citebot add URL|FILE`",
        "uk": "папка корпусу змінилася: в індексі тепер немає статей; додайте їх командою `citebot add URL|FILE`",
        "ro": "dosarul corpusului s-a schimbat: indexul nu mai conține articole; adăugați cu `citebot add URL|FILE`",
        "ru": "папка корпуса изменилась: в индексе теперь нет статей; добавьте их командой `citebot add URL|FILE`",
    },
    "reset": {
        "en": "Context cleared: your next question starts afresh.",
        "uk": "Контекст очищено: наступне запитання почнеться з чистого аркуша.",
        "ro": "Context șters: următoarea întrebare începe de la zero.",
        "ru": "Контекст очищен: следующий вопрос начнётся с чистого листа.",
    },
    "expired": {
        "en": "Those sources have expired; ask the question again.",
        "uk": "Ці джерела вже недоступні; поставте запитання ще раз.",
        "ro": "Aceste surse au expirat; puneți întrebarea din nou.",
        "ru": "Эти источники уже недоступны; задайте вопрос ещё раз.",
    },
    "may_not_post": {
        "en": "I can't write here now (the topic is closed, or only admins may write), so I'm not showing more sources.",
        "uk": "Я зараз не можу писати тут (тему закрито або писати можуть лише адміністратори), тож не показую інших "
              "джерел.",
        "ro": "Acum nu pot scrie aici (subiectul este închis sau doar administratorii pot scrie), așa că nu arăt alte "
              "surse.",
        "ru": "Я сейчас не могу писать здесь (тема закрыта или писать могут только администраторы), поэтому не "
              "показываю других источников.",
    },
    "unknown_command": {
        "en": "I don't know that command. /help says what I can do.",
        "uk": "Я не знаю такої команди. /help розповість, що я вмію.",
        "ro": "Nu cunosc această comandă. /help spune ce pot face.",
        "ru": "Я не знаю такой команды. /help расскажет, что я умею.",
    },
    "ask_usage": {
        "en": "Ask your question after /ask, for example: /ask {example}",
        "uk": "Напишіть запитання після /ask, наприклад: /ask {example}",
        "ro": "Scrieți întrebarea după /ask, de exemplu: /ask {example}",
        "ru": "Напишите вопрос после /ask, например: /ask {example}",
    },
    "ask_usage_plain": {
        "en": "Ask your question after /ask, on the same line.",
        "uk": "Напишіть запитання після /ask у тому ж рядку.",
        "ro": "Scrieți întrebarea după /ask, pe același rând.",
        "ru": "Напишите вопрос после /ask в той же строке.",
    },
    "rate_limited": {
        "en": "You are asking faster than I can read: at most {limit} a minute. Please try again in {wait} s.",
        "uk": "Ви питаєте швидше, ніж я встигаю читати: не більше {limit} на хвилину. Спробуйте ще раз через {wait} с.",
        "ro": "Întrebați mai repede decât pot citi: cel mult {limit} pe minut. Încercați din nou peste {wait} s.",
        "ru": "Вы спрашиваете быстрее, чем я успеваю читать: не больше {limit} в минуту. Попробуйте снова через {wait} с.",
    },
    "admins_only": {
        "en": "Adding articles is for the bot's admins.",
        "uk": "Додавати статті можуть лише адміністратори бота.",
        "ro": "Doar administratorii botului pot adăuga articole.",
        "ru": "Добавлять статьи могут только администраторы бота.",
    },
    "admins_only_asked": {  # a file from someone else, its caption a question: answered from the articles there are
        "en": "Adding articles is for the bot's admins: the file is not read, and your question is answered from the "
              "articles I have.",
        "uk": "Додавати статті можуть лише адміністратори бота: файл не прочитано, а на ваше запитання я відповідаю за "
              "статтями, які вже маю.",
        "ro": "Doar administratorii botului pot adăuga articole: fișierul nu este citit, iar la întrebarea "
              "dumneavoastră răspund din articolele pe care le am.",
        "ru": "Добавлять статьи могут только администраторы бота: файл не прочитан, а на ваш вопрос я отвечаю по "
              "статьям, которые у меня уже есть.",
    },
    "add_usage": {
        "en": "Send /add with a link, for example: /add https://news.example.org/story, or send a .txt, .md, .html, .mhtml, .pdf or .docx file.",
        "uk": "Надішліть /add із посиланням, наприклад: /add https://news.example.org/story, або надішліть файл .txt, .md, .html, .mhtml, .pdf чи .docx.",
        "ro": "Trimiteți /add cu un link, de exemplu: /add https://news.example.org/story, sau trimiteți un fișier .txt, .md, .html, .mhtml, .pdf sau .docx.",
        "ru": "Отправьте /add со ссылкой, например: /add https://news.example.org/story, или пришлите файл .txt, .md, .html, .mhtml, .pdf или .docx.",
    },
    "added": {
        "en": "Added: {title} ({passages})",
        "uk": "Додано: {title} ({passages})",
        "ro": "Adăugat: {title} ({passages})",
        "ru": "Добавлено: {title} ({passages})",
    },
    "read_as": {  # under "Added: TITLE": a text file not in UTF-8 read in the encoding guessed (index/legacy_text.py)
        "en": "Read as {encoding} (the file is not UTF-8): if the title above looks wrong, save the file as UTF-8 and "
              "send it again.",
        "uk": "Прочитано як {encoding} (файл не в UTF-8): якщо назва вище виглядає неправильно, збережіть файл у UTF-8 "
              "і надішліть його знову.",
        "ro": "Citit ca {encoding} (fișierul nu este în UTF-8): dacă titlul de mai sus arată greșit, salvați fișierul "
              "ca UTF-8 și trimiteți-l din nou.",
        "ru": "Прочитано как {encoding} (файл не в UTF-8): если название выше выглядит неправильно, сохраните файл в "
              "UTF-8 и отправьте его снова.",
    },
    "updated": {
        "en": "Updated: {title} ({id})",
        "uk": "Оновлено: {title} ({id})",
        "ro": "Actualizat: {title} ({id})",
        "ru": "Обновлено: {title} ({id})",
    },
    "already_there": {
        "en": "Already there: {title} ({id})",
        "uk": "Вже є: {title} ({id})",
        "ro": "Există deja: {title} ({id})",
        "ru": "Уже есть: {title} ({id})",
    },
    "cannot_add": {
        "en": "Could not add it: {reason}",
        "uk": "Не вдалося додати: {reason}",
        "ro": "Nu am putut adăuga: {reason}",
        "ru": "Не удалось добавить: {reason}",
    },
    "remove_admins_only": {
        "en": "Removing articles is for the bot's admins.",
        "uk": "Вилучати статті можуть лише адміністратори бота.",
        "ro": "Doar administratorii botului pot elimina articole.",
        "ru": "Удалять статьи могут только администраторы бота.",
    },
    "remove_usage": {
        "en": "Send /remove with the article's id, as /sources and the answers show it, or the link it was added from, "
              "for example: /remove https://news.example.org/story. Or reply /remove to the answer that cites it.",
        "uk": "Надішліть /remove з ідентифікатором статті, як його показують /sources і відповіді, або з посиланням, з "
              "якого її додано, наприклад: /remove https://news.example.org/story. Або дайте відповідь /remove на "
              "повідомлення бота, що її цитує.",
        "ro": "Trimiteți /remove cu identificatorul articolului, așa cum îl arată /sources și răspunsurile, sau cu linkul "
              "din care a fost adăugat, de exemplu: /remove https://news.example.org/story. Sau răspundeți cu /remove la "
              "răspunsul care îl citează.",
        "ru": "Отправьте /remove с идентификатором статьи, как его показывают /sources и ответы, или со ссылкой, по "
              "которой её добавили, например: /remove https://news.example.org/story. Или ответьте /remove на "
              "сообщение бота, которое её цитирует.",
    },
    "remove_not_an_answer": {  # /remove in reply to a message whose article the bot does not know
        "en": "That message is not one of my recent answers: send /remove with the article's id, as /sources and the "
              "answers show it.",
        "uk": "Це повідомлення не є однією з моїх останніх відповідей: надішліть /remove з ідентифікатором статті, як "
              "його показують /sources і відповіді.",
        "ro": "Acest mesaj nu este unul dintre răspunsurile mele recente: trimiteți /remove cu identificatorul "
              "articolului, așa cum îl arată /sources și răspunsurile.",
        "ru": "Это сообщение не из моих последних ответов: отправьте /remove с идентификатором статьи, как его "
              "показывают /sources и ответы.",
    },
    "removed": {
        "en": "Removed: {title} ({id})",
        "uk": "Вилучено: {title} ({id})",
        "ro": "Eliminat: {title} ({id})",
        "ru": "Удалено: {title} ({id})",
    },
    "file_replaced": {  # above what came of the file put in its place ("Added: …"): an admin's file replaced in its message
        "en": "The file was replaced: removed {title} ({id})",
        "uk": "Файл замінено: вилучено {title} ({id})",
        "ro": "Fișierul a fost înlocuit: am eliminat {title} ({id})",
        "ru": "Файл заменён: удалено {title} ({id})",
    },
    "removed_skipped": {
        "en": "Removed: {id}, a file the build skipped ({reason})",
        "uk": "Вилучено: {id}, файл, який збірка індексу пропускала ({reason})",
        "ro": "Eliminat: {id}, un fișier omis la construirea indexului ({reason})",
        "ru": "Удалено: {id}, файл, который сборка индекса пропускала ({reason})",
    },
    "no_articles": {
        "en": "There are no articles to answer from yet: an admin adds them with /add and a link, or by sending a file.",
        "uk": "Поки немає статей, з яких відповідати: адміністратор додає їх командою /add із посиланням або "
              "надсилаючи файл.",
        "ro": "Încă nu există articole din care să răspund: un administrator le adaugă cu /add și un link sau "
              "trimițând un fișier.",
        "ru": "Пока нет статей, из которых отвечать: администратор добавляет их командой /add со ссылкой или "
              "отправляя файл.",
    },
    "cannot_remove": {
        "en": "Could not remove it: {reason}",
        "uk": "Не вдалося вилучити: {reason}",
        "ro": "Nu am putut elimina: {reason}",
        "ru": "Не удалось удалить: {reason}",
    },
    "remove_after_feeds": {
        "en": "A feed update is in progress: this is removed once it ends.",
        "uk": "Зараз оновлюються стрічки новин: це буде вилучено, щойно оновлення завершиться.",
        "ro": "Fluxurile de știri se actualizează acum: acesta va fi eliminat imediat ce actualizarea se încheie.",
        "ru": "Сейчас обновляются ленты новостей: это будет удалено, как только обновление закончится.",
    },
    "no_removing": {
        "en": "Removing articles is not set up for this bot.",
        "uk": "Вилучення статей для цього бота не налаштовано.",
        "ro": "Eliminarea articolelor nu este configurată pentru acest bot.",
        "ru": "Удаление статей для этого бота не настроено.",
    },
    "file_too_big": {
        "en": "the file is over the limit of {size}",
        "uk": "файл перевищує ліміт у {size}",
        "ro": "fișierul depășește limita de {size}",
        "ru": "файл превышает лимит в {size}",
    },
    "add_after_feeds": {
        "en": "A feed update is in progress: this is added once it ends.",
        "uk": "Зараз оновлюються стрічки новин: це буде додано, щойно оновлення завершиться.",
        "ro": "Fluxurile de știri se actualizează acum: acesta va fi adăugat imediat ce actualizarea se încheie.",
        "ru": "Сейчас обновляются ленты новостей: это будет добавлено, как только обновление закончится.",
    },
    "no_adding": {
        "en": "Adding articles is not set up for this bot.",
        "uk": "Додавання статей для цього бота не налаштовано.",
        "ro": "Adăugarea articolelor nu este configurată pentru acest bot.",
        "ru": "Добавление статей для этого бота не настроено.",
    },
    # a "More sources" passage whose article changed after the answer (bot/answering/revisions.py)
    "source_updated": {
        "en": "This article has been updated since; it still says this:",
        "uk": "Цю статтю відтоді оновлено; у ній і далі сказано це:",
        "ro": "Acest articol a fost actualizat între timp; spune în continuare asta:",
        "ru": "Эта статья с тех пор обновлена; в ней по-прежнему сказано это:",
    },
    "source_changed": {
        "en": "This article has since been changed and no longer says this.",
        "uk": "Цю статтю відтоді змінено, і цього в ній більше не сказано.",
        "ro": "Acest articol a fost modificat între timp și nu mai spune asta.",
        "ru": "Эта статья с тех пор изменена, и этого в ней больше не сказано.",
    },
    "source_removed": {
        "en": "This article has since been removed from the sources.",
        "uk": "Цю статтю відтоді вилучено з джерел.",
        "ro": "Acest articol a fost între timp scos din surse.",
        "ru": "Эта статья с тех пор удалена из источников.",
    },
    "more_sources": {
        "en": "More sources ({n})", "uk": "Ще джерела ({n})", "ro": "Mai multe surse ({n})", "ru": "Ещё источники ({n})",
    },
    "chat_intro": {
        "en": "Ask a question about the articles; /sources lists them. /reset (or /new) forgets the context, /quit leaves.",
        "uk": "Поставте запитання про статті; /sources показує їх перелік. /reset (або /new) забуває контекст, /quit — вихід.",
        "ro": "Puneți o întrebare despre articole; /sources le enumeră. /reset (sau /new) uită contextul, /quit iese.",
        "ru": "Задайте вопрос о статьях; /sources показывает их список. /reset (или /new) забывает контекст, /quit — выход.",
    },
    # "what can you do?" asked of citebot ask, which has no /reset nor /quit to tell
    "ask_intro": {
        "en": "Ask a question about the articles: citebot answers with the sentence that says it, and its source. "
              "citebot chat keeps the context for follow-ups.",
        "uk": "Поставте запитання про статті: citebot відповідає реченням, у якому це сказано, і його джерелом. "
              "citebot chat зберігає контекст для уточнень.",
        "ro": "Puneți o întrebare despre articole: citebot răspunde cu propoziția care o spune și cu sursa ei. "
              "citebot chat păstrează contextul pentru întrebările următoare.",
        "ru": "Задайте вопрос о статьях: citebot отвечает предложением, в котором это сказано, и его источником. "
              "citebot chat сохраняет контекст для уточнений.",
    },
    "command_ask": {
        "en": "ask a question (in groups)", "uk": "поставити запитання (у групах)",
        "ro": "puneți o întrebare (în grupuri)", "ru": "задать вопрос (в группах)",
    },
    "command_help": {
        "en": "what I know and how to ask", "uk": "що я знаю і як мене питати",
        "ro": "ce știu și cum să mă întrebați", "ru": "что я знаю и как меня спрашивать",
    },
    "command_sources": {
        "en": "the articles I know", "uk": "статті, які я знаю", "ro": "articolele pe care le cunosc",
        "ru": "статьи, которые я знаю",
    },
    "command_reset": {
        "en": "forget our conversation", "uk": "забути нашу розмову", "ro": "începe conversația de la zero",
        "ru": "забыть наш разговор",
    },
    # Small talk (bot.small_talk): a reply in the bot's own words, the conversation's topic left as it was.
    # "what can you do?" gets the help: /help's.
    "small_talk_thanks": {
        "en": "You're welcome. Ask another question whenever you like.",
        "uk": "Будь ласка. Питайте ще, коли захочете.",
        "ro": "Cu plăcere. Întrebați și altceva oricând doriți.",
        "ru": "Пожалуйста. Спрашивайте ещё, когда захотите.",
    },
    "small_talk_ack": {
        "en": "Ask another question whenever you like.",
        "uk": "Питайте ще, коли захочете.",
        "ro": "Întrebați și altceva oricând doriți.",
        "ru": "Спрашивайте ещё, когда захотите.",
    },
    "small_talk_greeting": {
        "en": "Hello! Ask me a question about the articles.",
        "uk": "Вітаю! Поставте запитання про статті.",
        "ro": "Bună! Puneți o întrebare despre articole.",
        "ru": "Здравствуйте! Задайте вопрос о статьях.",
    },
    "small_talk_presence": {
        "en": "I'm here: ask me a question about the articles.",
        "uk": "Я тут: поставте запитання про статті.",
        "ro": "Sunt aici: puneți o întrebare despre articole.",
        "ru": "Я здесь: задайте вопрос о статьях.",
    },
    "small_talk_bye": {"en": "Goodbye!", "uk": "До побачення!", "ro": "La revedere!", "ru": "До свидания!"},
    # "source?" after an answer: its source, as the answer cited it ("Title, date (file)", its web address below)
    "answer_source": {
        "en": "The last answer comes from: {source}",
        "uk": "Остання відповідь — зі статті: {source}",
        "ro": "Ultimul răspuns provine din: {source}",
        "ru": "Последний ответ — из статьи: {source}",
    },
    # "source?" in a Telegram reply to one of the bot's answers, an older one maybe: that answer's source
    "replied_answer_source": {
        "en": "That answer comes from: {source}",
        "uk": "Ця відповідь — зі статті: {source}",
        "ro": "Acel răspuns provine din: {source}",
        "ru": "Этот ответ — из статьи: {source}",
    },
    # "source?" after a question that found nothing ("Not found"): the source of the last answer that found something
    "earlier_answer_source": {
        "en": "The last question found nothing; the last answer that did comes from: {source}",
        "uk": "Останнє запитання нічого не знайшло; остання знайдена відповідь — зі статті: {source}",
        "ro": "Ultima întrebare nu a găsit nimic; ultimul răspuns găsit provine din: {source}",
        "ru": "Последний вопрос ничего не нашёл; последний найденный ответ — из статьи: {source}",
    },
    "no_answer_to_source": {
        "en": "There is no earlier answer to give the source of. Ask a question about the articles first.",
        "uk": "Ще немає відповіді, джерело якої можна назвати. Спершу поставте запитання про статті.",
        "ro": "Nu există încă niciun răspuns a cărui sursă s-o pot da. Puneți mai întâi o întrebare despre articole.",
        "ru": "Ещё нет ответа, источник которого можно назвать. Сначала задайте вопрос о статьях.",
    },
    # after the reply to small talk in a language citebot does not read ("Danke!")
    "reads_languages": {
        "en": "I read questions in English, Ukrainian, Romanian and Russian.",
        "uk": "Я розумію запитання англійською, українською, румунською та російською.",
        "ro": "Înțeleg întrebări în engleză, ucraineană, română și rusă.",
        "ru": "Я понимаю вопросы на английском, украинском, румынском и русском.",
    },
    "reads_english_only": {
        "en": "Here I read questions in English only.",
        "uk": "Тут я розумію запитання лише англійською.",
        "ro": "Aici înțeleg doar întrebări în engleză.",
        "ru": "Здесь я понимаю вопросы только на английском.",
    },
    "context_cleared": {
        "en": "(context cleared)", "uk": "(контекст очищено)", "ro": "(context șters)", "ru": "(контекст очищен)",
    },
    # the command line's errors and warnings (bot/cli.py), after its "citebot: error: " or "citebot: warning: ", which
    # stay English, for grep; {reason}: REASONS' words for it, else the index's English
    "cli_cannot_add": {
        "en": "cannot add {what}: {reason}",
        "uk": "не вдалося додати {what}: {reason}",
        "ro": "nu am putut adăuga {what}: {reason}",
        "ru": "не удалось добавить {what}: {reason}",
    },
    "cli_skipping": {  # a file (or a .jsonl line) the build leaves out
        "en": "skipping {path}: {reason}",
        "uk": "пропущено {path}: {reason}",
        "ro": "se omite {path}: {reason}",
        "ru": "пропущено {path}: {reason}",
    },
    "cli_skipped": {  # the same, listed under `citebot index`'s "indexed …" line (which stays English)
        "en": "skipped {path}: {reason}",
        "uk": "пропущено {path}: {reason}",
        "ro": "omis {path}: {reason}",
        "ru": "пропущено {path}: {reason}",
    },
    "cli_reading_legacy": {  # a file (or a page) not in UTF-8, read in the legacy encoding it was told to be in
        "en": "reading {path} as {encoding} (not UTF-8)",
        "uk": "читаю {path} у кодуванні {encoding} (не UTF-8)",
        "ro": "citesc {path} în codificarea {encoding} (nu UTF-8)",
        "ru": "читаю {path} в кодировке {encoding} (не UTF-8)",
    },
    # `citebot ask/chat --store URI` where ./corpus is there by default but named by no --corpus nor CITEBOT_CORPUS,
    # and the store's live build is not one this machine made from it (index/pg_build.py): {store}, {folder}, {corpus}
    "store_not_from_default_corpus": {
        "en": "{store} holds a build this machine did not make from {folder}, the default corpus folder, which no "
              "--corpus or CITEBOT_CORPUS named: answering from that build; to build the store from this folder "
              "instead, run `citebot index --corpus {corpus} --store URI` here",
        "uk": "{store} містить збірку індексу, яку ця машина не робила з {folder} (типова тека корпусу, її не назвали "
              "ні --corpus, ні CITEBOT_CORPUS): відповідаю з тієї збірки; щоб натомість зібрати сховище з цієї теки, "
              "виконайте тут `citebot index --corpus {corpus} --store URI`",
        "ro": "{store} conține o versiune a indexului pe care această mașină nu a construit-o din {folder} (folderul "
              "implicit al corpusului, pe care nu l-a numit nici --corpus, nici CITEBOT_CORPUS): răspund din acea "
              "versiune; pentru a construi depozitul din acest folder, rulați aici `citebot index --corpus {corpus} "
              "--store URI`",
        "ru": "{store} содержит сборку индекса, которую эта машина не делала из {folder} (папка корпуса по умолчанию, "
              "её не назвали ни --corpus, ни CITEBOT_CORPUS): отвечаю из этой сборки; чтобы вместо неё собрать "
              "хранилище из этой папки, выполните здесь `citebot index --corpus {corpus} --store URI`",
    },
    # `citebot add/remove/feeds update --store URI` refused (exit code 2, nothing written) where ./corpus is there by
    # default, named by no --corpus nor CITEBOT_CORPUS, and the store's live build is not one this machine made from it
    # (index/pg_build.py foreign): {store}, {folder} (its full path), {corpus} (as the command line names it)
    "store_not_written_from_default_corpus": {
        "en": "{store} holds a build this machine did not make from {folder}, the default corpus folder, which no "
              "--corpus or CITEBOT_CORPUS named: nothing was changed; name the store's corpus folder with --corpus DIR "
              "or CITEBOT_CORPUS, or, to build the store from this folder instead, run `citebot index --corpus {corpus} "
              "--store URI` here first",
        "uk": "{store} містить збірку індексу, яку ця машина не робила з {folder} (типова тека корпусу, її не назвали "
              "ні --corpus, ні CITEBOT_CORPUS): нічого не змінено; назвіть теку корпусу сховища через --corpus DIR або "
              "CITEBOT_CORPUS, а щоб натомість зібрати сховище з цієї теки, спершу виконайте тут `citebot index "
              "--corpus {corpus} --store URI`",
        "ro": "{store} conține o versiune a indexului pe care această mașină nu a construit-o din {folder} (folderul "
              "implicit al corpusului, pe care nu l-a numit nici --corpus, nici CITEBOT_CORPUS): nu s-a schimbat "
              "nimic; numiți folderul corpusului depozitului cu --corpus DIR sau CITEBOT_CORPUS, iar pentru a construi "
              "depozitul din acest folder, rulați mai întâi aici `citebot index --corpus {corpus} --store URI`",
        "ru": "{store} содержит сборку индекса, которую эта машина не делала из {folder} (папка корпуса по умолчанию, "
              "её не назвали ни --corpus, ни CITEBOT_CORPUS): ничего не изменено; назовите папку корпуса хранилища "
              "через --corpus DIR или CITEBOT_CORPUS, а чтобы вместо этого собрать хранилище из этой папки, сначала "
              "выполните здесь `citebot index --corpus {corpus} --store URI`",
    },
    # `citebot feeds update`'s warning for an item of a feed that could not be taken (index/feeds.py): {link}, {reason}
    # (why, REASONS' words for it), {tries} and {updates} counts with their nouns, {wait_days} and {waited_days} days
    "feed_item_retry": {  # tried again at the next update, till given up
        "en": "feed item {link}: {reason} (tried again at the next update)",
        "uk": "запис стрічки {link}: {reason} (буде спробовано ще раз під час наступного оновлення)",
        "ro": "elementul din flux {link}: {reason} (se va reîncerca la următoarea actualizare)",
        "ru": "запись ленты {link}: {reason} (повторная попытка при следующем обновлении)",
    },
    "feed_item_asked_to_wait": {  # a 429 (or a 503 with a Retry-After): its site's rate limit, not the page's fault
        "en": "feed item {link}: {reason} (left for the next update, since its site asked to wait)",
        "uk": "запис стрічки {link}: {reason} (відкладено до наступного оновлення: сайт попросив зачекати)",
        "ro": "elementul din flux {link}: {reason} (amânat până la următoarea actualizare: site-ul a cerut să se "
              "aștepte)",
        "ru": "запись ленты {link}: {reason} (отложено до следующего обновления: сайт попросил подождать)",
    },
    "feed_item_given_up": {  # its third failure over a day: tried only a day later, then 2, 4 and every 7 days
        "en": "feed item {link}: {reason} (given up after failing for a day, {tries}; tried again in {wait_days})",
        "uk": "запис стрічки {link}: {reason} (облишено після доби невдач, {tries}; наступна спроба через {wait_days})",
        "ro": "elementul din flux {link}: {reason} (abandonat după o zi de eșecuri, {tries}; se reîncearcă peste "
              "{wait_days})",
        "ru": "запись ленты {link}: {reason} (прекращено после суток неудач, {tries}; следующая попытка через "
              "{wait_days})",
    },
    "feed_item_no_page": {  # its link no article page (audio, a feed): given up at its first failure
        "en": "feed item {link}: {reason} (no article page: given up at once; tried again in {wait_days})",
        "uk": "запис стрічки {link}: {reason} (це не сторінка статті: облишено одразу; наступна спроба через "
              "{wait_days})",
        "ro": "elementul din flux {link}: {reason} (nu este pagina unui articol: abandonat imediat; se reîncearcă "
              "peste {wait_days})",
        "ru": "запись ленты {link}: {reason} (это не страница статьи: прекращено сразу; следующая попытка через "
              "{wait_days})",
    },
    "feed_item_still_failing": {  # one given up, tried again
        "en": "feed item {link}: {reason} (still failing; tried again in {wait_days})",
        "uk": "запис стрічки {link}: {reason} (досі не вдається; наступна спроба через {wait_days})",
        "ro": "elementul din flux {link}: {reason} (încă eșuează; se reîncearcă peste {wait_days})",
        "ru": "запись ленты {link}: {reason} (всё ещё не удаётся; следующая попытка через {wait_days})",
    },
    "feed_item_still_asked_to_wait": {  # one given up, tried again, its site asking to wait still
        "en": "feed item {link}: {reason} (its site still asking to wait; tried again in {wait_days})",
        "uk": "запис стрічки {link}: {reason} (сайт досі просить зачекати; наступна спроба через {wait_days})",
        "ro": "elementul din flux {link}: {reason} (site-ul cere în continuare să se aștepte; se reîncearcă peste "
              "{wait_days})",
        "ru": "запись ленты {link}: {reason} (сайт всё ещё просит подождать; следующая попытка через {wait_days})",
    },
    "feed_item_given_up_asked_to_wait": {  # asked to wait in 3 updates over a week: a page down, not a wait
        "en": "feed item {link}: {reason} (given up, its site having asked to wait for it for {waited_days}, in "
              "{updates}: no wait but a page down; tried again in {wait_days})",
        "uk": "запис стрічки {link}: {reason} (облишено: сайт просить зачекати вже {waited_days} ({updates} поспіль) — "
              "це не очікування, а недоступна сторінка; наступна спроба через {wait_days})",
        "ro": "elementul din flux {link}: {reason} (abandonat: site-ul cere să se aștepte de {waited_days} ({updates} "
              "la rând) — nu e o așteptare, ci o pagină căzută; se reîncearcă peste {wait_days})",
        "ru": "запись ленты {link}: {reason} (прекращено: сайт просит подождать уже {waited_days} ({updates} подряд) — "
              "это не ожидание, а недоступная страница; следующая попытка через {wait_days})",
    },
    # `citebot feeds add`, `feeds remove` and `feeds update` with none followed: their lines on stdout ({feed}: "TITLE
    # (URL)", or the URL alone); "feeds: " before a summary stays English, as "citebot: error: " does, for grep
    "feeds_following": {
        "en": "following: {feed}", "uk": "відтепер відстежується: {feed}", "ro": "urmărit de acum: {feed}",
        "ru": "теперь отслеживается: {feed}",
    },
    "feeds_already_following": {
        "en": "already following: {feed}", "uk": "уже відстежується: {feed}", "ro": "deja urmărit: {feed}",
        "ru": "уже отслеживается: {feed}",
    },
    "feeds_already_following_resting": {  # followed again to have it tried now, unreadable for a while: said how
        "en": "already following: {feed}; unreadable since {since}: next tried at the first update after {next}, or "
              "now by `citebot feeds update {url}`",
        "uk": "уже відстежується: {feed}; не читається з {since}: наступна спроба — під час першого оновлення після "
              "{next} або зараз: `citebot feeds update {url}`",
        "ro": "deja urmărit: {feed}; ilizibil din {since}: următoarea încercare la prima actualizare după {next} sau "
              "acum cu `citebot feeds update {url}`",
        "ru": "уже отслеживается: {feed}; не читается с {since}: следующая попытка — при первом обновлении после "
              "{next} или сейчас: `citebot feeds update {url}`",
    },
    "feeds_no_longer_following": {
        "en": "no longer following: {feed}; the articles taken from it stay in the corpus",
        "uk": "більше не відстежується: {feed}; статті, взяті з неї, лишаються в корпусі",
        "ro": "nu mai este urmărit: {feed}; articolele preluate din el rămân în corpus",
        "ru": "больше не отслеживается: {feed}; статьи, взятые из неё, остаются в корпусе",
    },
    "feeds_followed_from_list": {  # `citebot feeds add LIST.opml`'s last line: {new}, {known}, {refused}, {listed}
        "en": "feeds: {new} newly followed, {known} already followed, {refused} refused ({listed} listed in {name})",
        "uk": "feeds: нових — {new}, уже відстежуваних — {known}, відхилено — {refused} (у {name} перелічено {listed})",
        "ro": "feeds: noi: {new}, deja urmărite: {known}, refuzate: {refused} ({name} listează {listed})",
        "ru": "feeds: новых — {new}, уже отслеживаемых — {known}, отклонено — {refused} (в {name} перечислено "
              "{listed})",
    },
    "feeds_none_followed": {
        "en": "feeds: none followed, nothing to update (follow one with `citebot feeds add URL`)",
        "uk": "feeds: жодної стрічки не відстежено, оновлювати нічого (додайте стрічку: `citebot feeds add URL`)",
        "ro": "feeds: niciun flux urmărit, nimic de actualizat (adăugați unul cu `citebot feeds add URL`)",
        "ru": "feeds: ни одна лента не отслеживается, обновлять нечего (добавьте ленту: `citebot feeds add URL`)",
    },
    # `citebot feeds update`'s warnings for a feed (index/feeds.py): {url}, {reason} (why, an error), {since} and
    # {next}/{until} times as the feed list stamps them, {updates} and {wait_days} counted
    "feed_unreadable": {
        "en": "feed {url}: {reason}", "uk": "стрічка {url}: {reason}", "ro": "fluxul {url}: {reason}",
        "ru": "лента {url}: {reason}",
    },
    "feed_unreadable_retry": {  # unreadable for a while, tried again on its schedule, failing still
        "en": "feed {url}: {reason} (unreadable since {since}: tried again in {wait_days})",
        "uk": "стрічка {url}: {reason} (не читається з {since}: наступна спроба через {wait_days})",
        "ro": "fluxul {url}: {reason} (ilizibil din {since}: se reîncearcă peste {wait_days})",
        "ru": "лента {url}: {reason} (не читается с {since}: следующая попытка через {wait_days})",
    },
    "feed_unreadable_given_up": {  # unreadable in three updates over a day: tried a day later, then 2, 4, 7 days
        "en": "feed {url}: {reason} (unreadable since {since}, in {updates}: tried again only in {wait_days})",
        "uk": "стрічка {url}: {reason} (не читається з {since}, {updates} поспіль: наступна спроба лише через "
              "{wait_days})",
        "ro": "fluxul {url}: {reason} (ilizibil din {since}, în {updates}: se reîncearcă abia peste {wait_days})",
        "ru": "лента {url}: {reason} (не читается с {since}, {updates} подряд: следующая попытка лишь через "
              "{wait_days})",
    },
    "feed_unreadable_gone": {  # a 410 Gone: tried less often at once
        "en": "feed {url}: {reason} (unreadable since {since}, gone for good, its server says: tried again only in "
              "{wait_days})",
        "uk": "стрічка {url}: {reason} (не читається з {since}, сервер каже, що її прибрано назавжди: наступна спроба "
              "лише через {wait_days})",
        "ro": "fluxul {url}: {reason} (ilizibil din {since}, eliminat definitiv, spune serverul: se reîncearcă abia "
              "peste {wait_days})",
        "ru": "лента {url}: {reason} (не читается с {since}, сервер говорит, что её убрали навсегда: следующая "
              "попытка лишь через {wait_days})",
    },
    "feed_unreadable_named": {  # `citebot feeds update URL` of a resting feed: an operator's look, not one of its tries
        "en": "feed {url}: {reason} (unreadable since {since}; tried now as named: its next try stays at the first "
              "update after {next})",
        "uk": "стрічка {url}: {reason} (не читається з {since}; спробувано зараз, бо її названо: наступна спроба "
              "лишається під час першого оновлення після {next})",
        "ro": "fluxul {url}: {reason} (ilizibil din {since}; încercat acum, fiind numit: următoarea încercare rămâne la "
              "prima actualizare după {next})",
        "ru": "лента {url}: {reason} (не читается с {since}; попытка сейчас, так как её назвали: следующая попытка "
              "остаётся при первом обновлении после {next})",
    },
    "feed_reads_again": {  # news, not a warning: "citebot: …"
        "en": "feed {url} reads again (unreadable since {since}): tried at every update again",
        "uk": "стрічка {url} знову читається (не читалася з {since}): відтепер її пробують під час кожного оновлення",
        "ro": "fluxul {url} se citește din nou (ilizibil din {since}): încercat din nou la fiecare actualizare",
        "ru": "лента {url} снова читается (не читалась с {since}): снова пробуется при каждом обновлении",
    },
    "feed_asked_to_wait": {  # a 429: its site's rate limit, not a broken feed
        "en": "feed {url}: {reason} (left for the next update, since its site asked to wait)",
        "uk": "стрічка {url}: {reason} (відкладено до наступного оновлення: сайт попросив зачекати)",
        "ro": "fluxul {url}: {reason} (amânat până la următoarea actualizare: site-ul a cerut să se aștepte)",
        "ru": "лента {url}: {reason} (отложено до следующего обновления: сайт попросил подождать)",
    },
    "feed_asked_to_wait_until": {  # its Retry-After said how long
        "en": "feed {url}: {reason} (left for the first update after {until}, since its site asked to wait)",
        "uk": "стрічка {url}: {reason} (відкладено до першого оновлення після {until}: сайт попросив зачекати)",
        "ro": "fluxul {url}: {reason} (amânat până la prima actualizare după {until}: site-ul a cerut să se aștepte)",
        "ru": "лента {url}: {reason} (отложено до первого обновления после {until}: сайт попросил подождать)",
    },
    "feed_moved": {
        "en": "feed {url} has moved for good to {to}: followed there from now on",
        "uk": "стрічка {url} назавжди переїхала на {to}: відтепер відстежується там",
        "ro": "fluxul {url} s-a mutat definitiv la {to}: urmărit acolo de acum",
        "ru": "лента {url} навсегда переехала на {to}: теперь отслеживается там",
    },
    "feed_item_updated_failed": {  # an item taken before, updated in its feed since, whose page could not be taken
        "en": "feed item {link}, updated in its feed: {reason}",
        "uk": "запис стрічки {link}, оновлений у стрічці: {reason}",
        "ro": "elementul din flux {link}, actualizat în flux: {reason}",
        "ru": "запись ленты {link}, обновлённая в ленте: {reason}",
    },
    "feed_item_updated_asked_to_wait": {
        "en": "feed item {link}, updated in its feed: {reason} (left for the next update, since its site asked to wait)",
        "uk": "запис стрічки {link}, оновлений у стрічці: {reason} (відкладено до наступного оновлення: сайт попросив "
              "зачекати)",
        "ro": "elementul din flux {link}, actualizat în flux: {reason} (amânat până la următoarea actualizare: site-ul "
              "a cerut să se aștepte)",
        "ru": "запись ленты {link}, обновлённая в ленте: {reason} (отложено до следующего обновления: сайт попросил "
              "подождать)",
    },
    # the other feeds or items of a host left untried for the next update: {host}, {n} of them, {reason}
    "feeds_left_asked_to_wait": {
        "en": "feeds at {host}: {n} more left for the next update, since it asked to wait ({reason})",
        "uk": "стрічки на {host}: ще {n} відкладено до наступного оновлення, бо сайт попросив зачекати ({reason})",
        "ro": "fluxurile de la {host}: încă {n} amânate până la următoarea actualizare, deoarece site-ul a cerut să se "
              "aștepte ({reason})",
        "ru": "ленты на {host}: ещё {n} отложено до следующего обновления, так как сайт попросил подождать ({reason})",
    },
    "feeds_left_not_answering": {
        "en": "feeds at {host}: {n} more left for the next update, since it did not answer ({reason})",
        "uk": "стрічки на {host}: ще {n} відкладено до наступного оновлення, бо сайт не відповів ({reason})",
        "ro": "fluxurile de la {host}: încă {n} amânate până la următoarea actualizare, deoarece site-ul nu a răspuns "
              "({reason})",
        "ru": "ленты на {host}: ещё {n} отложено до следующего обновления, так как сайт не ответил ({reason})",
    },
    "feed_items_left_asked_to_wait": {
        "en": "feed items at {host}: {n} more left for the next update, since it asked to wait ({reason})",
        "uk": "записи стрічок на {host}: ще {n} відкладено до наступного оновлення, бо сайт попросив зачекати "
              "({reason})",
        "ro": "elementele din fluxuri de la {host}: încă {n} amânate până la următoarea actualizare, deoarece site-ul a "
              "cerut să se aștepte ({reason})",
        "ru": "записи лент на {host}: ещё {n} отложено до следующего обновления, так как сайт попросил подождать "
              "({reason})",
    },
    "feed_items_left_not_answering": {
        "en": "feed items at {host}: {n} more left for the next update, since it did not answer ({reason})",
        "uk": "записи стрічок на {host}: ще {n} відкладено до наступного оновлення, бо сайт не відповів ({reason})",
        "ro": "elementele din fluxuri de la {host}: încă {n} amânate până la următoarea actualizare, deoarece site-ul "
              "nu a răspuns ({reason})",
        "ru": "записи лент на {host}: ещё {n} отложено до следующего обновления, так как сайт не ответил ({reason})",
    },
    "answer_interrupted": {  # Ctrl-C in a chat while its answer was computed: the question is dropped, the chat goes on
        "en": "(answer interrupted; /quit leaves)", "uk": "(відповідь перервано; /quit — вийти)",
        "ro": "(răspuns întrerupt; /quit pentru a ieși)", "ru": "(ответ прерван; /quit — выйти)",
    },
}

# Why an article could not be added, in the bot's other languages: the index says it in English, naming the message
# here by its key (index.errors.CitebotError); a reason with no entry here is given in English. A value named
# *_bytes is a byte count, written with its noun; "words" a story's count of words, written with its noun as after
# "of" ("з 202 слів", "din cele 202 cuvinte"); "seconds" a number of seconds, with the language's decimal mark.
REASONS: dict[str, dict[str, str]] = {
    "cannot_follow": {  # `citebot feeds add`: the feed could not be fetched or read ({cause}: why)
        "uk": "не вдалося відстежувати {url}: {cause}",
        "ro": "nu se poate urmări {url}: {cause}",
        "ru": "не удалось отслеживать {url}: {cause}",
    },
    "feed_asked_to_wait_for_days": {  # a feed whose site asked to wait in three updates over a week: unreadable
        "uk": "{error} (сайт просить зачекати вже {waited_days}, {updates} поспіль)",
        "ro": "{error} (site-ul cere să se aștepte de {waited_days}, în {updates})",
        "ru": "{error} (сайт просит подождать уже {waited_days}, {updates} подряд)",
    },
    "not_following": {  # `citebot feeds remove/update URL` of a feed not followed
        "uk": "стрічка {url} не відстежується: `citebot feeds list` показує відстежувані стрічки",
        "ro": "fluxul {url} nu este urmărit: `citebot feeds list` arată fluxurile urmărite",
        "ru": "лента {url} не отслеживается: `citebot feeds list` показывает отслеживаемые ленты",
    },
    "invalid_url": {
        "uk": "недійсна адреса: {url} ({detail})",
        "ro": "adresă nevalidă: {url} ({detail})",
        "ru": "недопустимый адрес: {url} ({detail})",
    },
    "not_http_url": {
        "uk": "це не адреса http(s): {url}",
        "ro": "nu este o adresă http(s): {url}",
        "ru": "это не адрес http(s): {url}",
    },
    "bad_redirect_host": {
        "uk": "{url} переадресовує на недійсне ім’я хоста ({detail})",
        "ro": "{url} redirecționează către un nume de gazdă nevalid ({detail})",
        "ru": "{url} перенаправляет на недопустимое имя хоста ({detail})",
    },
    "too_long": {
        "uk": "сторінку не вдалося отримати повністю за {seconds} с",
        "ro": "pagina nu a putut fi descărcată complet în {seconds} s",
        "ru": "страницу не удалось получить полностью за {seconds} с",
    },
    "redirects": {
        "uk": "забагато переадресацій (понад {n})",
        "ro": "prea multe redirecționări (peste {n})",
        "ru": "слишком много перенаправлений (больше {n})",
    },
    "redirect_loop": {
        "uk": "переадресації по колу: {url} переадресовує назад на {to}",
        "ro": "redirecționări în buclă: {url} redirecționează înapoi către {to}",
        "ru": "перенаправления по кругу: {url} перенаправляет обратно на {to}",
    },
    "no_answer": {
        "uk": "сервер не відповів за {seconds} с",
        "ro": "serverul nu a răspuns în {seconds} s",
        "ru": "сервер не ответил за {seconds} с",
    },
    "cannot_fetch": {
        "uk": "не вдалося завантажити сторінку ({detail})",
        "ro": "pagina nu a putut fi descărcată ({detail})",
        "ru": "не удалось загрузить страницу ({detail})",
    },
    "private_address": {
        "uk": "{host} — приватна адреса; щоб дозволити її, задайте {env}=1",
        "ro": "{host} este o adresă privată; pentru a o permite, setați {env}=1",
        "ru": "{host} — частный адрес; чтобы разрешить его, задайте {env}=1",
    },
    "private_resolved": {
        "uk": "{host} веде на приватну адресу {address}; щоб дозволити її, задайте {env}=1",
        "ro": "{host} duce la adresa privată {address}; pentru a o permite, setați {env}=1",
        "ru": "{host} указывает на частный адрес {address}; чтобы разрешить его, задайте {env}=1",
    },
    "http_status": {
        "uk": "сервер відповів HTTP {status}",
        "ro": "serverul a răspuns HTTP {status}",
        "ru": "сервер ответил HTTP {status}",
    },
    "not_html": {
        "uk": "це не HTML-сторінка (Content-Type {content_type})",
        "ro": "nu este o pagină HTML (Content-Type {content_type})",
        "ru": "это не HTML-страница (Content-Type {content_type})",
    },
    "not_page": {
        "uk": "це не HTML-сторінка, не PDF і не документ Word (Content-Type {content_type})",
        "ro": "nu este nici o pagină HTML, nici un PDF, nici un document Word (Content-Type {content_type})",
        "ru": "это не HTML-страница, не PDF и не документ Word (Content-Type {content_type})",
    },
    "a_feed": {
        "uk": "стрічка новин (Content-Type {content_type}) не є статтею: стежте за нею командою citebot feeds add URL "
              "або додайте посилання на її статті",
        "ro": "un flux de știri (Content-Type {content_type}) nu este un articol: urmăriți-l cu citebot feeds add URL "
              "sau adăugați linkurile articolelor sale",
        "ru": "лента новостей (Content-Type {content_type}) не является статьёй: следите за ней командой citebot feeds "
              "add URL или добавьте ссылки на её статьи",
    },
    "body_size": {
        "uk": "розмір сторінки — {size_bytes}, а ліміт — {limit_bytes}",
        "ro": "pagina are {size_bytes}, peste limita de {limit_bytes}",
        "ru": "размер страницы — {size_bytes}, а лимит — {limit_bytes}",
    },
    "body_over": {
        "uk": "сторінка перевищує ліміт у {limit_bytes}",
        "ro": "pagina depășește limita de {limit_bytes}",
        "ru": "страница превышает лимит в {limit_bytes}",
    },
    "compressed": {
        "uk": "сторінку стиснуто забагато разів поспіль (Content-Encoding: {n}, допустимо {most})",
        "ro": "pagina este comprimată de prea multe ori (Content-Encoding: {n}, se acceptă {most})",
        "ru": "страница сжата слишком много раз подряд (Content-Encoding: {n}, допустимо {most})",
    },
    "hash_bang": {
        "uk": "адреса з #!, сторінку якої будує в браузері скрипт сайту (його сервер надсилає сторінку {base} на кожну "
              "адресу з #!), а citebot скриптів не виконує: додайте власну адресу статті",
        "ro": "o adresă cu #!, a cărei pagină o construiește în browser scriptul site-ului (serverul său trimite pagina "
              "{base} pentru orice adresă cu #!), iar citebot nu rulează scripturi: adăugați adresa proprie a articolului",
        "ru": "адрес с #!, страницу которого строит в браузере скрипт сайта (его сервер отправляет страницу {base} на "
              "любой адрес с #!), а citebot скрипты не выполняет: добавьте собственный адрес статьи",
    },
    "hash_bang_redirect": {
        "uk": "{url} переадресовує на {to}, адресу з #!, сторінку якої будує в браузері скрипт сайту (його сервер "
              "надсилає сторінку {base} на кожну адресу з #!), а citebot скриптів не виконує: додайте власну адресу "
              "статті",
        "ro": "{url} redirecționează către {to}, o adresă cu #!, a cărei pagină o construiește în browser scriptul "
              "site-ului (serverul său trimite pagina {base} pentru orice adresă cu #!), iar citebot nu rulează "
              "scripturi: adăugați adresa proprie a articolului",
        "ru": "{url} перенаправляет на {to}, адрес с #!, страницу которого строит в браузере скрипт сайта (его сервер "
              "отправляет страницу {base} на любой адрес с #!), а citebot скрипты не выполняет: добавьте собственный "
              "адрес статьи",
    },
    "no_article": {
        "uk": "на сторінці не знайдено тексту статті",
        "ro": "pe pagină nu s-a găsit textul unui articol",
        "ru": "на странице не найден текст статьи",
    },
    "nested_too_deep": {  # a page nested deeper than libxml2 reads (255 elements): its story is dropped with the rest
        "uk": "в HTML не знайдено основного тексту: його елементи вкладено глибше ніж на 255 рівнів, а глибше парсер "
              "HTML не читає",
        "ro": "în HTML nu s-a găsit textul principal: elementele sale sunt imbricate pe mai mult de 255 de niveluri, "
              "iar analizorul HTML nu citește mai adânc",
        "ru": "в HTML не найден основной текст: его элементы вложены глубже чем на 255 уровней, а глубже парсер HTML "
              "не читает",
    },
    "not_found_page": {  # a removed story's address answering 200 OK with a page titled "Article not found"
        "uk": "сторінка каже «{title}»: статті на ній немає (її видалили або перенесли на іншу адресу?)",
        "ro": "pagina spune „{title}”: nu conține niciun articol (a fost șters sau mutat la altă adresă?)",
        "ru": "страница говорит «{title}»: статьи на ней нет (её удалили или перенесли на другой адрес?)",
    },
    "consent_wall": {  # a consent platform's notice in the story's place ("We and our 842 partners store…")
        "uk": "сторінка показує лише запит згоди на cookie («{opening}…»), а не статтю: відкрийте її в браузері, "
              "погодьтеся, збережіть сторінку як HTML і додайте цей файл",
        "ro": "pagina arată doar o cerere de acord pentru cookie-uri („{opening}…”), nu articolul: deschideți-o în "
              "browser, acceptați, salvați pagina ca HTML și adăugați acel fișier",
        "ru": "страница показывает лишь запрос согласия на cookie («{opening}…»), а не статью: откройте её в браузере, "
              "согласитесь, сохраните страницу как HTML и добавьте этот файл",
    },
    "paywall_teaser": {  # a paywall's teaser added for the first time ("Subscribe to read the full story…")
        "uk": "сторінка показує лише початок статті й пропозицію передплати («{opening}…»), а не всю статтю: відкрийте "
              "її в браузері, де ви ввійшли як передплатник, збережіть сторінку як HTML і додайте цей файл",
        "ro": "pagina arată doar începutul articolului și o ofertă de abonament („{opening}…”), nu tot articolul: "
              "deschideți-o în browserul în care sunteți autentificat ca abonat, salvați pagina ca HTML și adăugați acel "
              "fișier",
        "ru": "страница показывает лишь начало статьи и предложение подписки («{opening}…»), а не всю статью: откройте "
              "её в браузере, где вы вошли как подписчик, сохраните страницу как HTML и добавьте этот файл",
    },
    "not_addable": {
        "uk": "додати можна лише файли .txt, .md, .html, .mhtml, .pdf і .docx",
        "ro": "se pot adăuga doar fișiere .txt, .md, .html, .mhtml, .pdf și .docx",
        "ru": "добавить можно только файлы .txt, .md, .html, .mhtml, .pdf и .docx",
    },
    "file_over": {
        "uk": "файл перевищує ліміт у {limit_bytes}",
        "ro": "fișierul depășește limita de {limit_bytes}",
        "ru": "файл превышает лимит в {limit_bytes}",
    },
    # `citebot add` of a name that is no file: a page's address without its scheme, or a folder
    "no_such_file_address": {
        "uk": "такого файлу немає; щоб додати вебсторінку, дайте її повну адресу: {address}",
        "ro": "nu există un astfel de fișier; pentru a adăuga pagina web, dați adresa ei completă: {address}",
        "ru": "такого файла нет; чтобы добавить веб-страницу, укажите её полный адрес: {address}",
    },
    "a_folder": {
        "uk": "це папка, а не файл; щоб додати її файли, назвіть їх: {command}",
        "ro": "este un dosar, nu un fișier; pentru a-i adăuga fișierele, numiți-le: {command}",
        "ru": "это папка, а не файл; чтобы добавить её файлы, назовите их: {command}",
    },
    "binary": {
        "uk": "це двійковий файл, а не текст",
        "ro": "este un fișier binar, nu text",
        "ru": "это двоичный файл, а не текст",
    },
    "not_text": {
        "uk": "це не текст у кодуванні {codec}",
        "ro": "nu este text în codificarea {codec}",
        "ru": "это не текст в кодировке {codec}",
    },
    "surrogate": {
        "uk": "front matter файлу містить символ, якого немає в UTF-8 (одиночний сурогат)",
        "ro": "front matter-ul fișierului conține un caracter care nu există în UTF-8 (un surogat izolat)",
        "ru": "front matter файла содержит символ, которого нет в UTF-8 (одиночный суррогат)",
    },
    "empty_file": {"uk": "файл порожній", "ro": "fișierul este gol", "ru": "файл пуст"},
    # Why the build skips a corpus file (index/documents.py), as `citebot index` says it: /remove of such a file says it
    "not_utf8": {
        "uk": "це не текст у кодуванні UTF-8 (байт {at}): збережіть файл як UTF-8",
        "ro": "nu este text în codificarea UTF-8 (octetul {at}): salvați fișierul ca UTF-8",
        "ru": "это не текст в кодировке UTF-8 (байт {at}): сохраните файл в UTF-8",
    },
    "unread_doc": {
        "uk": "старий документ Word (.doc) не читається: збережіть його як .docx",
        "ro": "un document Word vechi (.doc) nu este citit: salvați-l ca .docx",
        "ru": "старый документ Word (.doc) не читается: сохраните его как .docx",
    },
    "unread_odt": {
        "uk": "текстовий документ OpenDocument (.odt) не читається: збережіть його як .docx або .pdf",
        "ro": "un document OpenDocument (.odt) nu este citit: salvați-l ca .docx sau .pdf",
        "ru": "текстовый документ OpenDocument (.odt) не читается: сохраните его как .docx или .pdf",
    },
    "unread_rtf": {
        "uk": "документ Rich Text (.rtf) не читається: збережіть його як .docx або .txt",
        "ro": "un document Rich Text (.rtf) nu este citit: salvați-l ca .docx sau .txt",
        "ru": "документ Rich Text (.rtf) не читается: сохраните его как .docx или .txt",
    },
    "unread_pages": {
        "uk": "документ Pages не читається: експортуйте його як .docx або .pdf",
        "ro": "un document Pages nu este citit: exportați-l ca .docx sau .pdf",
        "ru": "документ Pages не читается: экспортируйте его как .docx или .pdf",
    },
    "unread_epub": {
        "uk": "електронна книжка (.epub) не читається: збережіть її розділи як .html або .txt",
        "ro": "o carte electronică (.epub) nu este citită: salvați-i capitolele ca .html sau .txt",
        "ru": "электронная книга (.epub) не читается: сохраните её главы как .html или .txt",
    },
    "unread_webarchive": {
        "uk": "вебсторінка, збережена як вебархів Safari, не читається: збережіть її лише як HTML (.html) або додайте "
              "її адресу: citebot add URL",
        "ro": "o pagină web salvată ca arhivă web Safari nu este citită: salvați-o doar ca HTML (.html) sau "
              "adăugați-i adresa: citebot add URL",
        "ru": "веб-страница, сохранённая как веб-архив Safari, не читается: сохраните её только как HTML (.html) или "
              "добавьте её адрес: citebot add URL",
    },
    "unread_compressed": {
        "uk": "стиснений файл ({suffix}) не читається: розпакуйте його в папку корпусу",
        "ro": "un fișier comprimat ({suffix}) nu este citit: dezarhivați-l în dosarul corpusului",
        "ru": "сжатый файл ({suffix}) не читается: распакуйте его в папку корпуса",
    },
    "unread_table": {
        "uk": 'таблиця ({suffix}) не читається: запишіть її статті у файл .jsonl, по одній {{"text": "…"}} у рядку',
        "ro": 'un tabel ({suffix}) nu este citit: puneți-i articolele într-un fișier .jsonl, câte unul '
              '{{"text": "…"}} pe linie',
        "ru": 'таблица ({suffix}) не читается: запишите её статьи в файл .jsonl, по одной {{"text": "…"}} в строке',
    },
    "unread_add_jsonl": {  # `citebot add` of a table: the .jsonl it is told to make goes into the corpus folder
        "uk": "{why}, у теці корпусу (citebot add не додає файлів .jsonl)",
        "ro": "{why}, în folderul corpusului (citebot add nu adaugă fișiere .jsonl)",
        "ru": "{why}, в папке корпуса (citebot add не добавляет файлы .jsonl)",
    },
    "unread_json": {
        "uk": 'файл .json не читається: запишіть його статті у файл .jsonl, по одній {{"text": "…"}} у рядку',
        "ro": 'un fișier .json nu este citit: puneți-i articolele într-un fișier .jsonl, câte unul {{"text": "…"}} '
              'pe linie',
        "ru": 'файл .json не читается: запишите его статьи в файл .jsonl, по одной {{"text": "…"}} в строке',
    },
    "unread_xml": {
        "uk": "файл .xml не читається: щоб стежити за стрічкою новин, виконайте citebot feeds add URL; статті "
              "збережіть як .txt, .html або .jsonl",
        "ro": "un fișier .xml nu este citit: urmăriți un flux de știri cu citebot feeds add URL; salvați articolele ca "
              ".txt, .html sau .jsonl",
        "ru": "файл .xml не читается: чтобы следить за лентой новостей, выполните citebot feeds add URL; статьи "
              "сохраните как .txt, .html или .jsonl",
    },
    "unread_opml": {
        "uk": "список стрічок новин (.opml) — не стаття: щоб стежити за його стрічками, виконайте citebot feeds add FILE",
        "ro": "o listă de fluxuri de știri (.opml) nu este un articol: urmăriți-i fluxurile cu citebot feeds add FILE",
        "ru": "список лент новостей (.opml) — не статья: чтобы следить за его лентами, выполните citebot feeds add "
              "FILE",
    },
    # A Word document that cannot be read (index/docx.py), as `citebot add` says it
    "docx_password": {
        "uk": "документ Word із паролем або старий .doc, перейменований на .docx: збережіть його без пароля як .docx "
              "(документ Word)",
        "ro": "un document Word cu parolă sau un .doc vechi redenumit .docx: salvați-l fără parolă ca .docx "
              "(Document Word)",
        "ru": "документ Word с паролем или старый .doc, переименованный в .docx: сохраните его без пароля как .docx "
              "(документ Word)",
    },
    "docx_bomb": {
        "uk": "його основна частина розпаковується до {size} МБ, понад {most} МБ, до яких читається документ Word "
              "(zip-бомба?)",
        "ro": "partea sa principală se dezarhivează la {size} MB, peste cei {most} MB până la care se citește un "
              "document Word (o bombă zip?)",
        "ru": "его основная часть распаковывается до {size} МБ, больше {most} МБ, до которых читается документ Word "
              "(zip-бомба?)",
    },
    "docx_time": {
        "uk": "читання припинено після {seconds} с (zip-бомба?)",
        "ro": "citirea a fost abandonată după {seconds} s (o bombă zip?)",
        "ru": "чтение прекращено через {seconds} с (zip-бомба?)",
    },
    "docx_too_long": {
        "uk": "його текст довший за {chars} символів, ліміт, який задає CITEBOT_MAX_FILE_MB",
        "ro": "textul său depășește {chars} de caractere, limita stabilită de CITEBOT_MAX_FILE_MB",
        "ru": "его текст длиннее {chars} символов, лимита, который задаёт CITEBOT_MAX_FILE_MB",
    },
    "docx_no_part": {
        "uk": "це не документ Word (у ньому немає основної частини документа)",
        "ro": "nu este un document Word (nu conține partea de document)",
        "ru": "это не документ Word (в нём нет основной части документа)",
    },
    "docx_broken": {
        "uk": "документ Word не вдається прочитати ({detail})",
        "ro": "documentul Word nu poate fi citit ({detail})",
        "ru": "документ Word не удаётся прочитать ({detail})",
    },
    # A web page saved as one file that cannot be read (index/mhtml.py), as `citebot add` says it
    "mhtml_no_page": {
        "uk": "у ньому немає вебсторінки (немає частини text/html)",
        "ro": "nu conține nicio pagină web (nicio parte text/html)",
        "ru": "в нём нет веб-страницы (нет части text/html)",
    },
    "mhtml_no_page_within": {
        "uk": "серед перших {most} частин файлу немає вебсторінки",
        "ro": "nicio pagină web printre primele {most} părți ale fișierului",
        "ru": "среди первых {most} частей файла нет веб-страницы",
    },
    "mhtml_broken": {
        "uk": "збережену вебсторінку не вдається прочитати ({detail})",
        "ro": "pagina web salvată nu poate fi citită ({detail})",
        "ru": "сохранённую веб-страницу не удаётся прочитать ({detail})",
    },
    # A long web page past its reader's budget (index/bounded.py), as `citebot add` says it
    "html_time": {
        "uk": "сторінка читається надто довго (понад {seconds} с процесора): збережіть текст статті як .txt",
        "ro": "pagina se citește prea mult timp (peste {seconds} s de procesor): salvați textul articolului ca .txt",
        "ru": "страница читается слишком долго (больше {seconds} с процессора): сохраните текст статьи как .txt",
    },
    "html_memory": {
        "uk": "для читання сторінки потрібно забагато пам'яті (понад {mb} МБ): збережіть текст статті як .txt",
        "ro": "pagina cere prea multă memorie pentru a fi citită (peste {mb} MB): salvați textul articolului ca .txt",
        "ru": "для чтения страницы нужно слишком много памяти (больше {mb} МБ): сохраните текст статьи как .txt",
    },
    "html_failed": {
        "uk": "сторінку не вдається прочитати ({detail}): збережіть текст статті як .txt",
        "ro": "pagina nu poate fi citită ({detail}): salvați textul articolului ca .txt",
        "ru": "страницу не удаётся прочитать ({detail}): сохраните текст статьи как .txt",
    },
    # A PDF that cannot be read (index/pdf.py), as `citebot add` says it
    "pdf_not_pdf": {
        "uk": "це не PDF-файл (немає заголовка %PDF)",
        "ro": "nu este un fișier PDF (lipsește antetul %PDF)",
        "ru": "это не PDF-файл (нет заголовка %PDF)",
    },
    "pdf_no_text": {
        "uk": "у файлі немає тексту (це скан? citebot не читає текст на зображеннях)",
        "ro": "fișierul nu conține text (o scanare? citebot nu citește textul din imagini)",
        "ru": "в файле нет текста (это скан? citebot не читает текст на изображениях)",
    },
    "pdf_encrypted": {
        "uk": "файл зашифровано: він відкривається лише з паролем",
        "ro": "este criptat: se deschide doar cu o parolă",
        "ru": "файл зашифрован: он открывается только с паролем",
    },
    "pdf_over_pages": {
        "uk": "сторінок більше за ліміт у {most}",
        "ro": "are mai multe pagini decât limita de {most}",
        "ru": "страниц больше лимита в {most}",
    },
    "pdf_pages": {
        "uk": "сторінок: {pages}, це понад ліміт у {most}",
        "ro": "pagini: {pages}, peste limita de {most}",
        "ru": "страниц: {pages}, это больше лимита в {most}",
    },
    "pdf_too_long": {
        "uk": "його текст довший за {chars} символів, ліміт, який задає CITEBOT_MAX_FILE_MB",
        "ro": "textul său depășește {chars} de caractere, limita stabilită de CITEBOT_MAX_FILE_MB",
        "ru": "его текст длиннее {chars} символов, лимита, который задаёт CITEBOT_MAX_FILE_MB",
    },
    "pdf_broken": {
        "uk": "пошкоджений PDF ({detail})",
        "ro": "un PDF deteriorat ({detail})",
        "ru": "повреждённый PDF ({detail})",
    },
    "pdf_nested": {
        "uk": "пошкоджений PDF (надто глибока вкладеність)",
        "ro": "un PDF deteriorat (imbricat prea adânc)",
        "ru": "повреждённый PDF (слишком глубокая вложенность)",
    },
    "pdf_not_read": {"uk": "не прочитано ({detail})", "ro": "nu a fost citit ({detail})", "ru": "не прочитан ({detail})"},
    "pdf_time": {
        "uk": "читання припинено після {seconds} с (PDF-бомба?)",
        "ro": "citirea a fost abandonată după {seconds} s (o bombă PDF?)",
        "ru": "чтение прекращено через {seconds} с (PDF-бомба?)",
    },
    "pdf_memory": {
        "uk": "читання припинено: воно зайняло понад {mb} МБ пам'яті (PDF-бомба?)",
        "ro": "citirea a fost abandonată: a ocupat peste {mb} MB de memorie (o bombă PDF?)",
        "ru": "чтение прекращено: оно заняло больше {mb} МБ памяти (PDF-бомба?)",
    },
    "pdf_stream": {
        "uk": "читання припинено: потік у ньому після розпакування займає понад {mb} МБ (PDF-бомба?)",
        "ro": "citirea a fost abandonată: un flux din el se decomprimă la peste {mb} MB (o bombă PDF?)",
        "ru": "чтение прекращено: поток в нём после распаковки занимает больше {mb} МБ (PDF-бомба?)",
    },
    "pdf_gave_up": {
        "uk": "читання припинено: {detail} (PDF-бомба?)",
        "ro": "citirea a fost abandonată: {detail} (o bombă PDF?)",
        "ru": "чтение прекращено: {detail} (PDF-бомба?)",
    },
    "pdf_no_memory": {
        "uk": "читання припинено: бракує пам'яті, щоб його прочитати",
        "ro": "citirea a fost abandonată: nu este destulă memorie pentru a-l citi",
        "ru": "чтение прекращено: не хватает памяти, чтобы его прочитать",
    },
    # A link stored before, fetched again (a correction?), that could not be stored again: {cause} is said in turn.
    "elsewhere": {
        "uk": "тепер посилання веде на {to}, іншу сторінку",
        "ro": "linkul duce acum la {to}, o altă pagină",
        "ru": "теперь ссылка ведёт на {to}, другую страницу",
    },
    "kept": {
        "en": "{cause}; the copy in the corpus, {id}, is kept",  # the cause in the bot's own English (/remove)
        "uk": "{cause}; копію в корпусі, {id}, залишено",
        "ro": "{cause}; copia din corpus, {id}, este păstrată",
        "ru": "{cause}; копия в корпусе, {id}, сохранена",
    },
    # an add's rare failures: the file written would not be read back as an article, or could not be written
    "build_would_skip": {
        "uk": "збірка індексу пропустила б {rel}: {why}",
        "ro": "construirea indexului ar sări peste {rel}: {why}",
        "ru": "сборка индекса пропустила бы {rel}: {why}",
    },
    "cannot_read_back": {
        "uk": "не вдалося знову прочитати {id}: {why}",
        "ro": "{id} nu a putut fi recitit: {why}",
        "ru": "не удалось снова прочитать {id}: {why}",
    },
    "cannot_write": {
        "uk": "не вдалося записати {file} у папку корпусу {folder}: {why}",
        "ro": "{file} nu a putut fi scris în dosarul corpusului {folder}: {why}",
        "ru": "не удалось записать {file} в папку корпуса {folder}: {why}",
    },
    "cannot_write_folder": {
        "uk": "не вдалося записати в папку корпусу {folder}: {why}",
        "ro": "nu se poate scrie în dosarul corpusului {folder}: {why}",
        "ru": "не удалось записать в папку корпуса {folder}: {why}",
    },
    # a file over CITEBOT_MAX_FILE_MB, which the build skips
    "over_file_limit": {
        "uk": "{megabytes} МБ, понад ліміт у {limit} МБ (задайте {env})",
        "ro": "{megabytes} MB, peste limita de {limit} MB (setați {env})",
        "ru": "{megabytes} МБ, больше лимита в {limit} МБ (задайте {env})",
    },
    "grew_over_file_limit": {
        "uk": "понад ліміт у {limit} МБ (задайте {env})",
        "ro": "peste limita de {limit} MB (setați {env})",
        "ru": "больше лимита в {limit} МБ (задайте {env})",
    },
    "line_over_file_limit": {  # a .jsonl line
        "uk": "рядок понад ліміт у {limit} МБ (задайте {env})",
        "ro": "rând peste limita de {limit} MB (setați {env})",
        "ru": "строка больше лимита в {limit} МБ (задайте {env})",
    },
    "os_error": {"uk": "{why}", "ro": "{why}", "ru": "{why}"},  # a file the build skipped: the system's reason alone
    # why an article could not be removed (index/remove.py)
    "cannot_delete": {
        "uk": "не вдалося вилучити {id} з папки корпусу {folder}: {why}",
        "ro": "{id} nu a putut fi scos din dosarul corpusului {folder}: {why}",
        "ru": "не удалось удалить {id} из папки корпуса {folder}: {why}",
    },
    "not_in_corpus": {
        "uk": "у корпусі немає статті {what}",
        "ro": "nu există niciun articol {what} în corpus",
        "ru": "в корпусе нет статьи {what}",
    },
    "a_row": {
        "uk": "{what} — у {file}, файлі .jsonl зі статтями по одній у рядку, який citebot не переписує: видаліть рядок там",
        "ro": "{what} este în {file}, un fișier .jsonl cu câte un articol pe rând, pe care citebot nu îl rescrie: "
              "ștergeți rândul acolo",
        "ru": "{what} — в {file}, файле .jsonl со статьями по одной в строке, который citebot не переписывает: удалите "
              "строку там",
    },
    "ambiguous": {
        "uk": "{what} — це кілька статей: {ids}; вкажіть ідентифікатор потрібної",
        "ro": "{what} desemnează mai multe articole: {ids}; dați identificatorul celui de eliminat",
        "ru": "{what} — это несколько статей: {ids}; укажите идентификатор нужной",
    },
    # the bot's own English where the index's names a command: an admin takes an article out with /remove there
    "gone_kept": {
        "en": "{cause}; the copy in the corpus, {id}, is kept (if the story was retracted, take it out: /remove {id})",
        "uk": "{cause}; копію в корпусі, {id}, залишено (якщо статтю відкликано, вилучіть її: /remove {id})",
        "ro": "{cause}; copia din corpus, {id}, este păstrată (dacă articolul a fost retras, eliminați-l: /remove {id})",
        "ru": "{cause}; копия в корпусе, {id}, сохранена (если статью отозвали, удалите её: /remove {id})",
    },
    "gone_kept_elsewhere": {
        "en": "{cause}; the copy in the corpus, {id}, is kept: it was stored from {stored}, another address (to fetch it "
              "again: /add {stored})",
        "uk": "{cause}; копію в корпусі, {id}, залишено: її отримано з {stored}, іншої адреси (щоб завантажити її "
              "знову: /add {stored})",
        "ro": "{cause}; copia din corpus, {id}, este păstrată: a fost preluată de la {stored}, altă adresă (ca s-o "
              "descărcați din nou: /add {stored})",
        "ru": "{cause}; копия в корпусе, {id}, сохранена: она получена с {stored}, другого адреса (чтобы загрузить её "
              "снова: /add {stored})",
    },
    "gone_kept_row": {
        "uk": "{cause}; копію в корпусі, {id}, залишено (якщо статтю відкликано, видаліть її рядок у {file})",
        "ro": "{cause}; copia din corpus, {id}, este păstrată (dacă articolul a fost retras, ștergeți rândul său din "
              "{file})",
        "ru": "{cause}; копия в корпусе, {id}, сохранена (если статью отозвали, удалите её строку в {file})",
    },
    "copy_elsewhere": {
        "uk": "тепер посилання веде на {to}, копію статті, чию власну сторінку {own} не вдається прочитати: {cause}",
        "ro": "linkul duce acum la {to}, o copie a articolului, a cărui pagină proprie {own} nu poate fi citită: {cause}",
        "ru": "теперь ссылка ведёт на {to}, копию статьи, чью собственную страницу {own} не удаётся прочитать: {cause}",
    },
    "copy_elsewhere_too": {
        "uk": "тепер посилання веде на {to}, копію статті, чия власна сторінка {own} веде на {then}",
        "ro": "linkul duce acum la {to}, o copie a articolului, a cărui pagină proprie {own} duce la {then}",
        "ru": "теперь ссылка ведёт на {to}, копию статьи, чья собственная страница {own} ведёт на {then}",
    },
    # the same, for a link that is itself the copy (an AMP link given): it leads nowhere else
    "copy_given": {
        "uk": "це копія статті, чию власну сторінку {own} не вдається прочитати: {cause}",
        "ro": "este o copie a articolului, a cărui pagină proprie {own} nu poate fi citită: {cause}",
        "ru": "это копия статьи, чью собственную страницу {own} не удаётся прочитать: {cause}",
    },
    "copy_given_too": {
        "uk": "це копія статті, чия власна сторінка {own} веде на {then}",
        "ro": "este o copie a articolului, a cărui pagină proprie {own} duce la {then}",
        "ru": "это копия статьи, чья собственная страница {own} ведёт на {then}",
    },
    "teaser_kept": {
        "en": "the page now shows only the first {first} of the story's {words} (a paywall or a sign-in wall?); the "
              "copy in the corpus, {id}, is kept (to store the page as it is now, take it out with /remove {id} and add "
              "the link again)",
        "uk": "сторінка тепер показує лише перші {first} з {words} статті (платний доступ чи вхід для "
              "передплатників?); копію в корпусі, {id}, залишено (щоб зберегти сторінку такою, як вона є зараз, "
              "вилучіть її командою /remove {id} і додайте посилання знову)",
        "ro": "pagina arată acum doar primele {first} din cele {words} ale articolului (acces plătit sau "
              "autentificare?); copia din corpus, {id}, este păstrată (pentru a salva pagina așa cum este acum, "
              "eliminați-o cu /remove {id} și adăugați din nou linkul)",
        "ru": "страница теперь показывает только первые {first} из {words} статьи (платный доступ или вход для "
              "подписчиков?); копия в корпусе, {id}, сохранена (чтобы сохранить страницу такой, как она есть сейчас, "
              "удалите её командой /remove {id} и добавьте ссылку снова)",
    },
    "notice_kept": {
        "en": "the page now shows none of the story's {words}, but {others} others (a notice, a consent wall?); the "
              "copy in the corpus, {id}, is kept (to store the page as it is now, take it out with /remove {id} and add "
              "the link again)",
        "uk": "сторінка тепер не показує жодного з {words} статті, лише {others} інших (оголошення, запит згоди "
              "на cookies?); копію в корпусі, {id}, залишено (щоб зберегти сторінку такою, як вона є зараз, "
              "вилучіть її командою /remove {id} і додайте посилання знову)",
        "ro": "pagina nu mai arată niciunul dintre cele {words} ale articolului, ci alte {others} (un "
              "anunț, o cerere de acord pentru cookie-uri?); copia din corpus, {id}, este păstrată (pentru a salva "
              "pagina așa cum este acum, eliminați-o cu /remove {id} și adăugați din nou linkul)",
        "ru": "страница теперь не показывает ни одного из {words} статьи, а {others} других (объявление, запрос "
              "согласия на cookies?); копия в корпусе, {id}, сохранена (чтобы сохранить страницу такой, как она есть "
              "сейчас, удалите её командой /remove {id} и добавьте ссылку снова)",
    },
    "not_rewritten": {
        "uk": "це нова версія {id}, яку не переписують на місці (лише файли, записані citebot add): виправте її "
              "там або видаліть і додайте це знову",
        "ro": "este o versiune nouă a {id}, care nu se rescrie pe loc (doar fișierele scrise de citebot add): "
              "corectați-o acolo sau ștergeți-o și adăugați din nou",
        "ru": "это новая версия {id}, которую не переписывают на месте (только файлы, записанные citebot add): "
              "исправьте её там или удалите и добавьте это снова",
    },
    "not_rewritten_file": {
        "en": "it is a new version of {id}, which is not rewritten in place (only the files citebot add writes are): "
              "correct it there, or take it out with /remove {id} and add this again",
        "uk": "це нова версія {id}, яку не переписують на місці (лише файли, записані citebot add): виправте її "
              "там або вилучіть її командою /remove {id} і додайте це знову",
        "ro": "este o versiune nouă a {id}, care nu se rescrie pe loc (doar fișierele scrise de citebot add): "
              "corectați-o acolo sau eliminați-o cu /remove {id} și adăugați din nou",
        "ru": "это новая версия {id}, которую не переписывают на месте (только файлы, записанные citebot add): "
              "исправьте её там или удалите её командой /remove {id} и добавьте это снова",
    },
    # the command line's errors a user meets first, said whole (the CLI's ERRORS_SAID_WHOLE), in the locale's language
    "no_corpus_folder": {
        "uk": "папки статей не знайдено: {folder} (задайте --corpus або CITEBOT_CORPUS)",
        "ro": "dosarul de articole nu a fost găsit: {folder} (setați --corpus sau CITEBOT_CORPUS)",
        "ru": "папка статей не найдена: {folder} (задайте --corpus или CITEBOT_CORPUS)",
    },
    "no_articles_yet": {
        "uk": "у {corpus} ще немає статей: додайте їх командою `citebot add URL|FILE` або покладіть туди файли .txt, "
              ".md, .html, .mhtml, .pdf, .docx чи .jsonl",
        "ro": "în {corpus} nu există încă articole: adăugați-le cu `citebot add URL|FILE` sau puneți acolo fișiere "
              ".txt, .md, .html, .mhtml, .pdf, .docx sau .jsonl",
        "ru": "в {corpus} ещё нет статей: добавьте их командой `citebot add URL|FILE` или положите туда файлы .txt, "
              ".md, .html, .mhtml, .pdf, .docx или .jsonl",
    },
    "no_usable_articles": {
        "uk": "у {corpus} немає придатних статей (пропущено файлів: {skipped}); додайте файли .txt, .md, .html, "
              ".mhtml, .pdf, .docx чи .jsonl",
        "ro": "în {corpus} nu există articole utilizabile (fișiere omise: {skipped}); adăugați fișiere .txt, .md, "
              ".html, .mhtml, .pdf, .docx sau .jsonl",
        "ru": "в {corpus} нет пригодных статей (пропущено файлов: {skipped}); добавьте файлы .txt, .md, .html, "
              ".mhtml, .pdf, .docx или .jsonl",
    },
}

# The reasons whose words name a Telegram command ("/remove ID"), as the command line says them: with its own commands
# ("citebot remove ID"). Its English is the index's.
COMMAND_LINE_REASONS: dict[str, dict[str, str]] = {
    key: {lang: text.replace("/remove ", "citebot remove ").replace("/add ", "citebot add ")
          for lang, text in REASONS[key].items() if lang != DEFAULT}
    for key in ("gone_kept", "gone_kept_elsewhere", "teaser_kept", "notice_kept", "not_rewritten_file")}

# Singular, few (2-4), many: how each language counts articles and passages.
_ARTICLE_FORMS = {
    "en": ("article", "articles", "articles"),
    "uk": ("стаття", "статті", "статей"),
    "ru": ("статья", "статьи", "статей"),
    "ro": ("articol", "articole", "de articole"),
}
_PASSAGE_FORMS = {
    "en": ("passage", "passages", "passages"),
    "uk": ("уривок", "уривки", "уривків"),
    "ru": ("фрагмент", "фрагмента", "фрагментов"),
    "ro": ("pasaj", "pasaje", "de pasaje"),
}
_BYTE_FORMS = {
    "en": ("byte", "bytes", "bytes"),
    "uk": ("байт", "байти", "байтів"),
    "ru": ("байт", "байта", "байт"),
    "ro": ("octet", "octeți", "de octeți"),
}
_DAY_FORMS = {
    "en": ("day", "days", "days"),
    "uk": ("день", "дні", "днів"),
    "ru": ("день", "дня", "дней"),
    "ro": ("zi", "zile", "de zile"),
}
_TRY_FORMS = {
    "en": ("try", "tries", "tries"),
    "uk": ("спроба", "спроби", "спроб"),
    "ru": ("попытка", "попытки", "попыток"),
    "ro": ("încercare", "încercări", "de încercări"),
}
_UPDATE_FORMS = {
    "en": ("update", "updates", "updates"),
    "uk": ("оновлення", "оновлення", "оновлень"),
    "ru": ("обновление", "обновления", "обновлений"),
    "ro": ("actualizare", "actualizări", "de actualizări"),
}
# Words as counted after "of" ("з 21 слова", "из 202 слов", "din cele 202 cuvinte").
_WORDS_OF = {
    "en": ("word", "words", "words"),
    "uk": ("слова", "слів", "слів"),
    "ru": ("слова", "слов", "слов"),
    "ro": ("cuvânt", "cuvinte", "de cuvinte"),
}
# The operating system's reasons (an OSError's strerror, in English whatever the locale) that an admin meets: a full
# disk, a corpus folder they may not write. Another reason is given as the system says it.
OS_REASONS: dict[str, dict[str, str]] = {
    "ENOSPC": {"uk": "на диску не залишилося місця", "ro": "nu mai este spațiu pe disc",
               "ru": "на диске не осталось места"},
    "EDQUOT": {"uk": "перевищено дискову квоту", "ro": "cota de disc a fost depășită",
               "ru": "превышена дисковая квота"},
    "EACCES": {"uk": "доступ заборонено", "ro": "permisiune refuzată", "ru": "доступ запрещён"},
    "EPERM": {"uk": "операцію не дозволено", "ro": "operațiune nepermisă", "ru": "операция не разрешена"},
    "EROFS": {"uk": "файлова система лише для читання", "ro": "sistem de fișiere doar în citire",
              "ru": "файловая система только для чтения"},
    # a dangling link in the corpus folder, which the build skips
    "ENOENT": {"uk": "немає такого файлу чи папки", "ro": "nu există un astfel de fișier sau dosar",
               "ru": "нет такого файла или папки"},
    # a link that leads back to itself (loop.txt -> loop.txt), which the build skips as a dangling one
    "ELOOP": {"uk": "забагато рівнів символічних посилань", "ro": "prea multe niveluri de legături simbolice",
              "ru": "слишком много уровней символических ссылок"},
}
# The command line's usage errors, after argparse's English "citebot ask: error: " under its English "usage:" line (both
# read by tools and grep), keyed by the English template argparse (or bot/cli.py) fills: its own are gettext's, and
# citebot ships no catalog. A template fills its values in the same order, or by name; a message made from none of
# these (another Python's wording) stays English, and so does "argument --corpus: MESSAGE" whose MESSAGE is none.
USAGE_ERRORS: dict[str, dict[str, str]] = {
    "argument %(argument_name)s: %(message)s": {
        "uk": "аргумент %(argument_name)s: %(message)s",
        "ro": "argumentul %(argument_name)s: %(message)s",
        "ru": "аргумент %(argument_name)s: %(message)s",
    },
    "the following arguments are required: %s": {
        "uk": "не вказано обов’язкові аргументи: %s",
        "ro": "lipsesc argumentele obligatorii: %s",
        "ru": "не указаны обязательные аргументы: %s",
    },
    "unrecognized arguments: %s": {
        "uk": "невідомі аргументи: %s", "ro": "argumente necunoscute: %s", "ru": "неизвестные аргументы: %s",
    },
    # `citebot what is the summit?`, `citebot "where is the summit?"`: a question typed without `ask`
    "invalid choice: %(value)r (choose from %(choices)s); to ask a question: citebot ask %(question)s": {
        "uk": "недопустиме значення: %(value)r (можливі: %(choices)s); щоб поставити запитання: citebot ask %(question)s",
        "ro": "valoare nevalidă: %(value)r (posibile: %(choices)s); pentru a pune o întrebare: citebot ask %(question)s",
        "ru": "недопустимое значение: %(value)r (возможные: %(choices)s); чтобы задать вопрос: citebot ask %(question)s",
    },
    "invalid choice: %(value)r (choose from %(choices)s)": {  # a mistyped command ("citebot aks") or --index-type
        "uk": "недопустиме значення: %(value)r (можливі: %(choices)s)",
        "ro": "valoare nevalidă: %(value)r (posibile: %(choices)s)",
        "ru": "недопустимое значение: %(value)r (возможные: %(choices)s)",
    },
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": {  # "citebot chta": chat
        "uk": "недопустиме значення: %(value)r, можливо, ви мали на увазі %(closest)r? (можливі: %(choices)s)",
        "ro": "valoare nevalidă: %(value)r, poate ați vrut să scrieți %(closest)r? (posibile: %(choices)s)",
        "ru": "недопустимое значение: %(value)r, возможно, вы имели в виду %(closest)r? (возможные: %(choices)s)",
    },
    "invalid %(type)s value: %(value)r": {  # --timeout abc
        "uk": "недопустиме значення %(type)s: %(value)r",
        "ro": "valoare %(type)s nevalidă: %(value)r",
        "ru": "недопустимое значение %(type)s: %(value)r",
    },
    "expected one argument": {"uk": "потрібне одне значення", "ro": "se așteaptă o valoare",
                              "ru": "ожидается одно значение"},
    "ignored explicit argument %r": {  # a flag given a value: citebot ask --json=yes
        "uk": "не приймає значення: %r", "ro": "nu primește o valoare: %r", "ru": "не принимает значения: %r",
    },
    "ambiguous option: %(option)s could match %(matches)s": {
        "uk": "неоднозначний параметр: %(option)s може означати %(matches)s",
        "ro": "opțiune ambiguă: %(option)s poate însemna %(matches)s",
        "ru": "неоднозначный параметр: %(option)s может означать %(matches)s",
    },
    # bot/cli.py's own
    "the question is empty": {"uk": "запитання порожнє", "ro": "întrebarea este goală", "ru": "вопрос пуст"},
    "must not be empty": {"uk": "не може бути порожнім", "ro": "nu poate fi gol", "ru": "не может быть пустым"},
    "must be a number of seconds, 0 or more, not %s": {  # --wait
        "uk": "має бути числом секунд, 0 або більше, а не %s",
        "ro": "trebuie să fie un număr de secunde, 0 sau mai mult, nu %s",
        "ru": "должно быть числом секунд, 0 или больше, а не %s",
    },
    "must be a positive number of minutes, not %s": {  # citebot telegram --feeds-every
        "uk": "має бути додатним числом хвилин, а не %s",
        "ro": "trebuie să fie un număr pozitiv de minute, nu %s",
        "ru": "должно быть положительным числом минут, а не %s",
    },
    "must be at least 1 question a minute, not %s": {  # citebot telegram --rate-limit
        "uk": "має бути щонайменше 1 запитання на хвилину, а не %s",
        "ro": "trebuie să fie cel puțin 1 întrebare pe minut, nu %s",
        "ru": "должно быть не меньше 1 вопроса в минуту, а не %s",
    },
    "--listen needs --webhook-url (webhook mode); without it the bot long-polls and listens on no port": {
        "uk": "--listen потребує --webhook-url (режим вебхука); без нього бот опитує Telegram і не слухає жодного порту",
        "ro": "--listen necesită --webhook-url (modul webhook); fără el botul interoghează Telegram și nu ascultă pe "
              "niciun port",
        "ru": "--listen требует --webhook-url (режим вебхука); без него бот опрашивает Telegram и не слушает ни одного "
              "порта",
    },
}
_SPEC = re.compile(r"%\((\w+)\)[sr]|%[sr]")  # a value of a template of USAGE_ERRORS
# What a %r of one fills in: a string as Python's repr writes it, in quotes, its own quote escaped. Matched as such,
# what was typed may hold the template's words ("citebot 'ask (choose from x'"), and words around it (another Python's:
# ", maybe you meant 'ask'?") are not taken for it.
_REPR = r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
# Thousands as each language writes them: a comma is the decimal mark in Ukrainian, Russian and Romanian.
_THOUSANDS = {"en": ",", "uk": "\u00a0", "ru": "\u00a0", "ro": "."}


def say(key: str, lang: str = DEFAULT, **values) -> str:
    """The message ``key`` in ``lang`` (English when the language is not one of ours), filled with ``values``."""
    texts = MESSAGES[key]
    return texts.get(lang if lang in LANGUAGES else DEFAULT, texts[DEFAULT]).format(**values)


def explain(error, english: str, lang: str = DEFAULT, command_line: bool = False) -> str:
    """Why ``error`` (an ``index.errors.CitebotError``, or an ``index.documents.Skipped``) happened, in ``lang``:
    ``english`` (what the index says) unless ``REASONS`` has the error's message in ``lang``; ``command_line``: as
    the command line says it, naming its commands (``COMMAND_LINE_REASONS``), not the Telegram bot's.

    >>> from index.fetch import FetchError
    >>> explain(FetchError("no answer within 0.5 s", key="no_answer", seconds=0.5), "no answer within 0.5 s", "uk")
    'сервер не відповів за 0,5 с'
    """
    key = getattr(error, "key", None) or ""
    text = (COMMAND_LINE_REASONS if command_line and key in COMMAND_LINE_REASONS else REASONS).get(key, {}).get(lang)
    if text is None:
        return english
    values = {}
    for name, value in getattr(error, "values", {}).items():
        if isinstance(value, OSError):  # the system's reason: a full disk, a folder not to be written
            value = OS_REASONS.get(errno.errorcode.get(value.errno, ""), {}).get(lang) or value.strerror or str(value)
        elif isinstance(value, Exception) or hasattr(value, "reason"):  # the error behind this one ("kept": why a page
            # could not be read again), or the build's reason to skip a file (index.documents.Skipped)
            value = explain(value, getattr(value, "reason", None) or str(value), lang)
        elif name.endswith("_bytes"):
            value = byte_count(value, lang)
        elif name == "megabytes":  # a size to the decimals that tell it from the limit: "3.0", not 3
            value = value.replace(".", ",")
        elif name == "words":
            value = _count(value, lang, _WORDS_OF)
        elif name.endswith("_days"):  # whole days: "8 днів"
            value = _count(value, lang, _DAY_FORMS)
        elif name == "updates":
            value = _count(value, lang, _UPDATE_FORMS)
        elif isinstance(value, float):
            value = f"{value:g}".replace(".", ",")  # a comma is the decimal mark in Ukrainian, Romanian and Russian
        elif isinstance(value, int):
            value = number(value, lang)
        values[name] = value
    return text.format(**values)


def say_logged(key: str, lang: str, values: dict) -> str:
    """A warning the index logs as message ``key`` and its ``values`` (its ``said``), in ``lang``: an error among them
    (why a feed's item failed) in REASONS' words, as the command line says them; ``tries`` and ``updates`` counted
    with their nouns, and a value named ``*_days`` (a whole number of days) too.

    >>> say_logged("feed_item_still_failing", "ru", {"link": "https://x.org/a", "reason": "timed out", "wait_days": 2})
    'запись ленты https://x.org/a: timed out (всё ещё не удаётся; следующая попытка через 2 дня)'
    """
    said = {}
    for name, value in values.items():
        if isinstance(value, Exception):
            value = explain(value, getattr(value, "reason", None) or str(value), lang, command_line=True)
        elif name.endswith("_days"):
            value = _count(value, lang, _DAY_FORMS)
        elif name == "tries":
            value = _count(value, lang, _TRY_FORMS)
        elif name == "updates":
            value = _count(value, lang, _UPDATE_FORMS)
        elif isinstance(value, int) and not isinstance(value, bool):  # another count: "ще 1\u00a0200"
            value = number(value, lang)
        said[name] = value
    return say(key, lang, **said)


# `citebot feeds update`'s summary (index.feeds.FeedReport's counts, after the English "feeds: "): each count after
# its words, which need no plural then; the English is FeedReport.summary()'s
FEEDS_SUMMARY: dict[str, dict[str, str]] = {
    "new": {"uk": "нових — {n}", "ro": "noi: {n}", "ru": "новых — {n}"},
    "updated": {"uk": "оновлених — {n}", "ro": "actualizate: {n}", "ru": "обновлённых — {n}"},
    "known": {"uk": "уже відомих — {n}", "ro": "deja cunoscute: {n}", "ru": "уже известных — {n}"},
    "failed": {"uk": "невдалих — {n}", "ro": "eșuate: {n}", "ru": "неудачных — {n}"},
    "given_up": {"uk": "облишено після доби невдач — {n}", "ro": "abandonate după o zi de eșecuri: {n}",
                 "ru": "прекращено после суток неудач — {n}"},
    "given_up_asked_to_wait": {"uk": "облишено після тижня, коли сайт просив зачекати, — {n}",
                               "ro": "abandonate după o săptămână în care site-ul a cerut să se aștepte: {n}",
                               "ru": "прекращено после недели, когда сайт просил подождать, — {n}"},
    "given_up_at_once": {"uk": "облишено одразу, бо це не сторінки статей, — {n}",
                         "ro": "abandonate imediat, nefiind pagini de articol: {n}",
                         "ru": "прекращено сразу, так как это не страницы статей, — {n}"},
    "waiting": {"uk": "відкладено до наступного оновлення — {n}", "ro": "amânate până la următoarea actualizare: {n}",
                "ru": "отложено до следующего обновления — {n}"},
    "passed_over": {"uk": "пропущено без посилання на статтю (аудіо, відео чи нічого) — {n}",
                    "ro": "omise, fără link către un articol (audio, video sau nimic): {n}",
                    "ru": "пропущено без ссылки на статью (аудио, видео или ничего) — {n}"},
    "feeds": {"uk": "перевірено стрічок — {n}", "ro": "fluxuri verificate: {n}", "ru": "проверено лент — {n}"},
    "not_modified": {"uk": "без змін — {n}", "ro": "nemodificate: {n}", "ru": "без изменений — {n}"},
    "feeds_failed": {"uk": "не читаються — {n}", "ro": "ilizibile: {n}", "ru": "не читаются — {n}"},
    "feeds_asked_to_wait": {"uk": "сайт попросив зачекати — {n}", "ro": "site-ul a cerut să se aștepte: {n}",
                            "ru": "сайт попросил подождать — {n}"},
    "feeds_waiting": {"uk": "відкладено до наступного оновлення — {n}",
                      "ro": "amânate până la următoarea actualizare: {n}",
                      "ru": "отложено до следующего обновления — {n}"},
    "feeds_resting": {"uk": "давно не читаються, і пробувати ще рано, — {n}",
                      "ro": "ilizibile de o vreme, încă nu e timpul unei încercări: {n}",
                      "ru": "давно не читаются, и пробовать ещё рано, — {n}"},
    "feeds_held": {"uk": "чекають, як попросив сайт, — {n}", "ro": "în așteptare, cum a cerut site-ul: {n}",
                   "ru": "ждут, как попросил сайт, — {n}"},
}

# `citebot feeds list`'s line for a feed, past its URL and title: each count after its words; {why} is what the feed
# list stored in English (why it could not be read, or was left)
FEEDS_LIST: dict[str, dict[str, str]] = {
    "none": {"uk": "стрічок ще немає: citebot feeds add URL", "ro": "încă niciun flux: citebot feeds add URL",
             "ru": "лент пока нет: citebot feeds add URL"},
    "taken": {"uk": "взято записів — {n}", "ro": "elemente preluate: {n}", "ru": "взято записей — {n}"},
    "failing": {"uk": "не вдаються — {n}", "ro": "eșuează: {n}", "ru": "не удаются — {n}"},
    "given_up": {"uk": "облишено — {n}", "ro": "abandonate: {n}", "ru": "прекращено — {n}"},
    "passed_over": {"uk": "пропущено без посилання на статтю — {n}", "ro": "omise, fără link către un articol: {n}",
                    "ru": "пропущено без ссылки на статью — {n}"},
    "waiting": {"uk": "відкладено до наступного оновлення — {n}", "ro": "amânate până la următoarea actualizare: {n}",
                "ru": "отложено до следующего обновления — {n}"},
    "checked": {"uk": "востаннє перевірено {when}", "ro": "ultima verificare: {when}", "ru": "последняя проверка: {when}"},
    "never_checked": {"uk": "ще не перевірялася", "ro": "neverificat încă", "ru": "ещё не проверялась"},
    "unreadable": {"uk": "; не читається з {since}: {why}", "ro": "; ilizibil din {since}: {why}",
                   "ru": "; не читается с {since}: {why}"},
    "unreadable_undated": {"uk": "; не читається: {why}", "ro": "; ilizibil: {why}", "ru": "; не читается: {why}"},
    "next_try": {"uk": "; наступна спроба — під час першого оновлення після {next} або зараз: `citebot feeds update "
                       "{url}`",
                 "ro": "; următoarea încercare la prima actualizare după {next} sau acum cu `citebot feeds update {url}`",
                 "ru": "; следующая попытка — при первом обновлении после {next} или сейчас: `citebot feeds update "
                       "{url}`"},
    "waits": {"uk": "; сайт попросив зачекати ({why}): наступний запит — під час першого оновлення після {until}",
              "ro": "; site-ul a cerut să se aștepte ({why}): următoarea cerere la prima actualizare după {until}",
              "ru": "; сайт попросил подождать ({why}): следующий запрос — при первом обновлении после {until}"},
    "left_asked_to_wait": {"uk": "; відкладено до наступного оновлення о {at}: сайт просить зачекати ({why})",
                           "ro": "; amânat la {at} până la următoarea actualizare: site-ul cere să se aștepte ({why})",
                           "ru": "; отложено до следующего обновления в {at}: сайт просит подождать ({why})"},
    "left_not_answering": {"uk": "; відкладено до наступного оновлення о {at}: хост не відповідає ({why})",
                           "ro": "; amânat la {at} până la următoarea actualizare: gazda nu răspunde ({why})",
                           "ru": "; отложено до следующего обновления в {at}: хост не отвечает ({why})"},
    "no_answer": {"uk": "немає відповіді", "ro": "niciun răspuns", "ru": "нет ответа"},
}


def feed_listed(feed: dict, lang: str, taken: int, given_up: int, failing: int, next_try: str | None,
                waits: str | None) -> str:
    """`citebot feeds list`'s words for ``feed`` (as ``index.feeds.FeedList.feeds()`` lists it) in ``lang``, one of
    uk, ro, ru, past its URL and title: its counts (``index.feeds.counts``'s), when it was last checked, why it is
    unreadable and when it is ``next_try``-ed, till when its site asked to wait (``waits``), or why it was left."""
    def said(name: str, **values) -> str:
        return FEEDS_LIST[name][lang].format(**values)

    counted = [said("taken", n=number(taken, lang))] + [
        said(name, n=number(n, lang)) for name, n in (
            ("failing", failing), ("given_up", given_up), ("passed_over", feed.get("passed_over") or 0),
            ("waiting", feed.get("waiting") or 0)) if n]
    counted.append(said("checked", when=feed["checked"]) if feed.get("checked") else said("never_checked"))
    why = feed.get("left_why") or said("no_answer")
    more = ""
    if feed.get("unreadable"):
        more += (said("unreadable", since=feed["unreadable_since"], why=feed["unreadable"])
                 if feed.get("unreadable_since") else said("unreadable_undated", why=feed["unreadable"]))
    if next_try and not (waits and waits >= next_try):
        more += said("next_try", next=next_try, url=feed["url"])
    if waits:
        more += said("waits", why=why, until=waits)
    elif feed.get("left_at"):
        more += said("left_asked_to_wait" if feed.get("left_asked_to_wait") else "left_not_answering",
                     at=feed["left_at"], why=why)
    return f"({', '.join(counted)}{more})"


def feeds_summary(report, lang: str = DEFAULT) -> str:
    """`citebot feeds update`'s summary of ``report`` (an ``index.feeds.FeedReport``) in ``lang``: in English
    ``report.summary()``, as the Telegram bot's log says it."""
    if lang not in FEEDS_SUMMARY["new"]:
        return report.summary()

    def said(name: str, n: int) -> str:
        return FEEDS_SUMMARY[name][lang].format(n=number(n, lang))

    checked = [said("feeds", report.feeds)] + [
        said(name, getattr(report, name)) for name in ("not_modified", "feeds_failed", "feeds_asked_to_wait",
                                                       "feeds_waiting", "feeds_resting", "feeds_held")
        if getattr(report, name)]
    given_up = [said(name, n) for name, n in (
        ("given_up", report.given_up - report.given_up_asked_to_wait),
        ("given_up_asked_to_wait", report.given_up_asked_to_wait), ("given_up_at_once", report.given_up_at_once)) if n]
    items = [said("new", len(report.new))] + ([said("updated", len(report.updated))] if report.updated else []) + [
        said("known", report.known), said("failed", len(report.failed)) + (f" ({', '.join(given_up)})" if given_up
                                                                           else "")]
    items += [said(name, getattr(report, name)) for name in ("waiting", "passed_over") if getattr(report, name)]
    return f"{', '.join(items)} ({', '.join(checked)})"


def usage_error(message: str, lang: str = DEFAULT) -> str:
    """A usage error of the command line (argparse's English, or bot/cli.py's) in ``lang``, by the template of
    ``USAGE_ERRORS`` it was made from, the values as they were (a name, an option, what was typed); else as it is.

    >>> usage_error("argument --corpus: expected one argument", "uk")
    'аргумент --corpus: потрібне одне значення'
    >>> usage_error("argument --corpus: expected a value", "uk")  # not half translated
    'argument --corpus: expected a value'
    """
    return _usage_error(message, lang) or message


def _usage_error(message: str, lang: str) -> str | None:
    """``usage_error``'s, None where no template of ``USAGE_ERRORS`` made ``message`` (nor its inner message)."""
    for english, texts in USAGE_ERRORS.items():
        said = texts.get(lang)
        if said is None:
            continue
        specs = list(_SPEC.finditer(english))
        literals = [english[a.end() if a else 0:b.start() if b else len(english)]
                    for a, b in zip([None, *specs], [*specs, None])]
        pattern = re.escape(literals[0]) + "".join(
            (_REPR if spec.group().endswith("r") else "(.*?)") + re.escape(literal)
            for spec, literal in zip(specs, literals[1:]))
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match is None:
            continue
        values = match.groups()
        named = {spec.group(1): value for spec, value in zip(specs, values) if spec.group(1)}
        if "message" in named:  # "argument --wait: MESSAGE": the message too, not what was typed; or none of it
            named["message"] = _usage_error(named["message"], lang)
            if named["message"] is None:
                return None
        unnamed = iter(value for spec, value in zip(specs, values) if not spec.group(1))
        return _SPEC.sub(lambda spec: named[spec.group(1)] if spec.group(1) else next(unnamed), said)
    return None


def articles(n: int, lang: str = DEFAULT) -> str:
    """"1 article", "3 статті", "21 de articole": ``n`` with the noun in the form the number wants."""
    return _count(n, lang, _ARTICLE_FORMS)


def passages(n: int, lang: str = DEFAULT) -> str:
    """"1 passage", "2 уривки", "5 фрагментов", "20 de pasaje"."""
    return _count(n, lang, _PASSAGE_FORMS)


def byte_count(n: int, lang: str = DEFAULT) -> str:
    """"5,000,000 bytes", "5 000 000 байтів", "5.000.000 de octeți"."""
    return _count(n, lang, _BYTE_FORMS)


def _count(n: int, lang: str, forms: dict) -> str:
    one, few, many = forms.get(lang, forms[DEFAULT])
    if lang in ("uk", "ru"):
        form = one if n % 10 == 1 and n % 100 != 11 else few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many
    elif lang == "ro":
        form = one if n == 1 else many if n != 0 and (n % 100 >= 20 or n % 100 == 0) else few
    else:
        form = one if n == 1 else many
    return f"{number(n, lang)} {form}"


def number(n: int, lang: str = DEFAULT) -> str:
    """``n`` with its thousands grouped as ``lang`` writes them: "5,000,000", "5 000 000", "5.000.000"."""
    return f"{n:,}".replace(",", _THOUSANDS.get(lang, ","))

/**
 * Frequently used passwords, lower-cased, written from memory of public breach-corpus top
 * lists (SecLists "10k most common", NCSC top 100k). Entries shorter than the minimum length
 * are kept so the list stays right if that minimum changes.
 */
const LIST = `
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball
abc123 football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890
michael 654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan
jennifer zxcvbnm asdfgh hunter buster soccer harley batman andrew tigger sunshine iloveyou 2000
charlie robert thomas hockey ranger daniel starwars klaster 112233 george computer michelle
jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa
ginger princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew access
yankees 987654321 dallas austin thunder taylor matrix mobilemail mom monitor monitoring montana
moon moscow william corvette hello martin heather secret merlin diamond 1234qwer gfhjkm hammer
silver 222222 88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange
11111 golfer cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky snoopy
maverick phoenix camaro peanut morgan welcome falcon cowboy ferrari samsung andrea smokey
steelers joseph mercedes dakota arsenal eagles melissa boomer booboo spider nascar monster
tigers yellow xxxxxx 123123123 gateway marina diablo bulldog qwer1234 compaq purple hardcore
banana junior hannah 123654 porsche lakers iceman money cowboys 987654 london tennis 999999
ncc1701 coffee scooby 0000 miller boston q1w2e3r4 brandon yamaha chester mother forever johnny
edward 333333 oliver redsox player nikita knight fender barney midnight please brandy chicago
badboy slayer rangers charles angel flower rabbit wizard bigdick jasper enter rachel chris
steven winner adidas victoria natasha 1q2w3e4r jasmine winter prince panties marine ghbdtn
fishing cocacola casper james 232323 raiders 888888 marlboro gandalf asdfasdf crystal 87654321
12344321 golden 8675309 dolphin mike mexico pussy hot-dog hotdog blowme cherry doctor online
dexter sexy bond007 buddy tiffany scorpion ronaldo florida 4444 alexis 1q2w3e canada alex jack
hello123 hunter2 passw0rd p@ssw0rd p@ssword password1 password12 password123 password1234
passw0rd1 pa55word pa55w0rd welcome1 welcome123 admin admin123 administrator root toor changeme
letmein1 letmein123 qwerty123 qwerty1 qwerty12 qwertyui qwertyu qwerty1234 1qazxsw2 zaq12wsx
zaq1zaq1 zaq1xsw2 1qaz2wsx3edc qazwsxedc qweasdzxc qweasd asdasd asd123 zxc123 abcd1234 abcdef
abcdefg abcdefgh abc12345 aa123456 a123456 a1b2c3 a1b2c3d4 123abc iloveyou1 iloveyou2 iloveu
loveyou lovely babygirl baby123 princess1 sunshine1 football1 baseball1 superman1 batman1
monkey1 dragon1 shadow1 master1 michael1 jordan23 michael23 charlie1 freedom1 whatever1
computer1 starwars1 trustno11 1234abcd 12qwaszx 1q2w3e4r5t 1q2w3e4r5t6y 1qaz@wsx zxcvbnm1
asdfghjkl asdfghjk asdfghj qwertyuiop1 mnbvcxz poiuytrewq lkjhgfdsa 0987654321 9876543210
1234512345 123454321 1234554321 123456654321 12341234 11223344 112233445566 111222333 123456789a
123456789q 12345678910 1234567891 123456789z 12345qwert 12345abc 123456a 123456q 123456qwerty
1234qwerty 123qweasd 123qweasdzxc qwe123 qwe12345 1qa2ws3ed 147258369 147258 159357 159951
258456 741852963 963852741 789456123 789456 456123 147852 147852369 123789 321321 123654789
11112222 12121212 13131313 69696969 00000000 99999999 77777777 66666666 55555555 44444444
33333333 22222222 1111111111 0000000000 1212121212 letmein! welcome! password! changeme1
changeme123 default guest user test123 test1234 testing testtest demo demo123 temp temp123
temporary secret123 secret1 secretpassword mypassword mypass passpass passwd pass123 pass1234
pass12345 passpass1 password01 password2 password3 password7 password9 password11 password99
password2020 password2021 password2022 password2023 password2024 password2025 password1!
p@ssw0rd1 p@55w0rd summer2020 summer2021 summer2022 summer2023 summer2024 summer2025 winter2020
winter2021 winter2022 winter2023 winter2024 winter2025 spring2023 spring2024 autumn2023 fall2023
january february march april may june july august september october november december monday
tuesday wednesday thursday friday saturday sunday iloveyou! iloveyou123 ilovegod jesus jesus1
jesuschrist christ god godisgood blessed blessing faith heaven angel1 angels lucky lucky7
lucky13 luckyme magic magic123 miracle destiny dreamer dreams ashley1 jessica1 michelle1 nicole1
amanda1 jennifer1 samantha1 elizabeth elizabeth1 stephanie jonathan christopher christian
christina alexander alexandra benjamin nicholas victoria1 patricia barbara margaret catherine
caroline isabella olivia sophia emily madison abigail hannah1 taylor1 brittany courtney danielle
melanie vanessa veronica natalie gabriel gabriela kimberly katherine kathleen jacqueline rebecca
monica angela andrea1 amber brenda cynthia alyssa lauren chelsea1 heather1 rachel1 megan justin1
austin1 kevin brian jason eric scott anthony1 david daniel1 joseph1 thomas1 robert1 william1
richard1 charles1 james1 john johnny1 johnson smith jones brown pokemon pikachu naruto sasuke
goku dragonball dragonballz onepiece mario zelda minecraft fortnite roblox pubg warcraft
starcraft diablo2 halo counterstrike playstation xbox360 nintendo gameboy sega superman2
spiderman ironman batman123 wolverine hulk thor avengers marvel deadpool joker harleyquinn
matrix1 terminator predator startrek starwars123 yoda skywalker darthvader vader jedi hogwarts
harrypotter gryffindor voldemort frodo gandalf1 legolas sherlock 007 jamesbond liverpool
chelsea123 manchester manutd arsenal1 barcelona realmadrid juventus bayern ronaldo7 messi10
messi cristiano neymar beckham football123 soccer1 soccer12 basketball hockey1 tennis1 golf
golfing baseball123 yankees1 redsox1 cowboys1 steelers1 packers eagles1 raiders1 broncos
patriots giants lakers1 celtics bulls chicago1 dallas1 texas houston miami atlanta denver
phoenix1 seattle boston1 newyork london1 paris berlin madrid moscow1 tokyo master123 admin1
admin1234 adminadmin administrator1 root123 rootroot superuser sysadmin webmaster manager system
server oracle mysql postgres database security secure access14 access1 login login123 logon
welcome12 welcome2 hello1 hello12 hello1234 helloworld hi hiya howdy goodbye computer123
internet1 windows windows7 windows10 microsoft apple macintosh iphone android google yahoo
hotmail facebook twitter instagram youtube linkedin skype amazon netflix spotify samsung1 nokia
motorola sony toshiba dell lenovo mustang1 corvette1 ferrari1 porsche1 mercedes1 bmw bmw123 audi
honda toyota nissan ford ford123 chevy chevrolet harley1 yamaha1 kawasaki suzuki ducati jaguar
lamborghini bugatti camaro1 viper cobra monkey123 dragon123 tiger tiger1 lion lion123 eagle
falcon1 hawk wolf wolves fox bear bears panther panthers cheetah shark sharks dolphin1 whale
turtle rabbit1 bunny kitty kitten kitty123 kittycat cat cats dog dogs puppy puppies doggie horse
horses pony unicorn butterfly ladybug spider1 snake cobra1 scorpion1 bulldog1 buster1 buddy1 max
max123 maxwell sam sammy bella bella1 molly lucy daisy coco rocky rocky1 duke bailey1 charlie123
teddy teddybear chocolate chocolate1 vanilla cookie1 cookies cupcake candy sugar honey honey1
honeybunny sweet sweetie sweetheart sweetpea cherry1 strawberry banana1 apple1 orange1 lemon
mango peaches peanut1 butter pepper1 cheese1 pizza pizza123 burger hotdog1 bacon coffee1 tea
beer vodka whiskey tequila loveme love123 love1 lovelove loveyou1 loveyou2 iloveyou3 ihateyou
fuckyou fuckyou1 fuckoff fuck fuckme shithead asshole bitch bitch1 bitches bastard whore slut
sexy1 sexy123 sexsex sex sexual horny hottie hotstuff 696969a 6969 69696969a pussy1 pussycat
dick cock penis boobs tits nipples naughty q1w2e3 q1w2e3r4t5y6 1a2b3c4d zaqxsw xswzaq qazxsw
wsxedc edcrfv rfvtgb tgbyhn 1qazxsw23edc 2wsx3edc 3edc4rfv 4rfv5tgb qwertz qwertz123 azerty
azerty123 azertyuiop qwertyuiop123 aaaa aaaaa aaaaaaa aaaaaaaa aaaaaaaaaa abc abcabc abc123456
abcd abcde abcdef1 abcdefg1 abcdefghi abcdefghij abcd123 abcde123 aabbcc 666 6666 66666 6666666
7777 77777 8888 88888 8888888 9999 99999 9999999 1111111 111 11 1 12 123 000 0000000 00000 5555
55555 5555555 4444444 44444 444444 3333 33333 3333333 2222 22222 2222222 121314 123123a 123321q
123qwe123 1q1q1q1q 1qw23e 1qwerty 2580 1a2s3d4f 1z2x3c4v 159753a 753951 852456 951753 147369
258369 321654 654123 789123 987456 9876543 98765432 87654321a 131313a 252525 272727 292929
303030 313131 333666 420420 456456 456789 505050 515151 525252 545454 565656 575757 585858
595959 626262 656565 676767 686868 717171 737373 757575 787878 797979 818181 828282 838383
858585 878787 898989 909090 919191 929292 939393 959595 969696 979797 989898 trustme believe
dontknow idontknow nothing nopassword nopass noone nobody somebody anything everything something
whatever! forget forgot forgotten remember memory mylove myself mylife lifeisgood life happy
happy1 happy123 happiness smile smiley funny lol lollol hahaha hehehe superstar rockstar rock
rocknroll metallica nirvana slipknot eminem tupac 50cent beyonce rihanna madonna elvis beatles
queen pinkfloyd ledzeppelin acdc ozzy music music1 musica guitar1 piano drummer singer dance
dancer qwerty! qwerty12345 qwerty123456 qwerty7 asdf asdf1234 asdf123 asdfg asdfgh1 zxcv zxcvb
zxcvbnm123 zxcvbn1 qaz123 wsx123 qweqwe qwerqwer asdasd123 zxczxc 1234asdf qwaszx qwaszx12
dragons shadow123 phantom ghost zombie vampire demon devil satan hell666 lucifer killer1
killer123 assassin sniper soldier warrior ninja samurai pirate captain commander general
sergeant hunter1 hunting fishing1 camping outdoors mountain river ocean beach island summer1
winter1 spring autumn snow snowball rain storm thunder1 lightning sunset sunrise moonlight stars
galaxy universe planet master12 master1234 mastermind genius einstein newton science physics
chemistry biology student teacher school college university education engineer doctor1 nurse
police fireman freedom123 liberty america usa usa123 america1 patriot canada1 mexico1 brazil
france germany italy spain england scotland ireland australia india china japan korea russia
poland letmein2 letmein12 letmein22 open sesame opensesame opendoor open123 enter123 enterprise
voyager starlight starfish seahorse mermaid fairy princess123 queen1 king king123 kingkong
prince1 royal crown diamond1 diamonds gold golden1 silver1 platinum crystal1 emerald ruby
sapphire pearl jade jasmine1 rose roses lily daisy1 tulip orchid violet flower1 flowers garden
qwerty11 qwerty01 qwerty69 asdf1 password69 sexy69 booboo1 peanut123 babyboy babydoll baby1 babe
babes sweety honeys darling lover lovers romeo juliet soulmate forever1 always together
michael12 jordan1 jordan12 jordan123 kobe kobe24 lebron lebron23 shaq tiger123 tigerwoods
snickers twix skittles oreo nutella pepsi cocacola1 sprite fanta redbull monster1 charlie2
chelsea2 arsenal123 liverpool1 nothing1 secret12 secret1234 mysecret topsecret private
confidential hidden unknown anonymous incognito stealth invisible airborne aircraft airplane
pilot flying rocket nasa apollo spaceman astronaut abcdefghijklmnopqrstuvwxyz
qwertyuiopasdfghjklzxcvbnm 1234567890qwertyuiop 1q2w3e4r5t6y7u8i9o0p iloveyou12 iloveyou7 i you
letmeinnow letmeinplease openup whatsup wassup yoyoyo yo yoyo dude dudes bro brother sister
mommy daddy mom123 dad123 mother1 father family family1 children kids spongebob spongebob1
squarepants passwort passwort1 motdepasse contrasena contrasena1 senha senha123 parola parola123
hallo123 schatz schatzi ficken azerty1 soleil bonjour doudou chouchou amore amoremio tesoro
ciao123 teamo teamo123 tequiero hola123 mariposa princesa estrella pakistan bangladesh india123
krishna ganesh sairam omsairam babygirl1 iloveyou8 loveyou123 michael123 jessica123 ashley123
nicole123 daniel123 robert123 andrew123 jordan12345 hunter123 thomas123 charlie12 matthew1
joshua1 andrew1 anthony123 william123 jackson1 tigger1 tigger123 mickey1 mickeymouse minnie
donald goofy disney disneyland cinderella basketball1 football12 baseball12 soccer123 hockey123
softball volleyball swimming running cycling marathon computer12 internet123 password0
password00 password8 password5 password4 password6 passw0rd123 p@ssw0rd123 p4ssw0rd p4ssword
pa$$word pa$$w0rd passwordpassword password!1 qwerty!@# 1qaz!qaz !qaz2wsx !qaz1qaz 1q2w3e!q
letmein01 welcome01 welcome2020 welcome2021 welcome2022 welcome2023 welcome2024 company company1
company123 office office123 business work work123
`;

/** Common passwords, lower-cased: compare a lower-cased candidate against it. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

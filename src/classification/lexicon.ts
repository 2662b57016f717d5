/**
 * The trade lexicon: what traders write, in the tariff's words. Abbreviations and trade words of
 * English, and the common goods words of Chinese, Japanese, Korean, Vietnamese, Spanish, French,
 * German and Portuguese, each mapped to the English words the HS and HTS texts use; the words that
 * say nothing about the goods (function words, units, packaging, marketing). Written from general
 * trade vocabulary; the classifier applies it alike to the texts it learns from and to queries, so
 * an entry only has to agree with itself.
 *
 * A table line is `key | key = tariff words`; an empty right side drops the key. Keys of several
 * words match consecutive words, longest first. Latin keys are matched with and without accents.
 */

const english = `
tv | tvs | telly | televisions = television
led tv | lcd tv | oled tv | smart tv = television reception apparatus
laptop | laptops | notebook computer = portable automatic data processing machine
pc | desktop computer | computer | computers = automatic data processing machine
cpu = central processing unit
ssd = solid state storage
hdd | hard drive = disk storage
monitor | monitors = monitor display
printer = printing machine printer
smartphone | smartphones | cellphone | cell phone | mobile phone | iphone | handphone = telephone cellular wireless network smartphone
phone | phones = telephone
charger | chargers = static converter charger
power bank = accumulator battery
earphone | earphones | headphone | headphones | earbuds = headphones earphones
speaker | speakers = loudspeaker
aircon | air conditioner | air conditioners = air conditioning machine
fridge | fridges = refrigerator
ss | s s | inox | stainless = stainless steel
ms = iron non alloy steel
gi = galvanized iron steel zinc plated
ci = cast iron
pvc = polyvinyl chloride plastic
hdpe | ldpe | lldpe | pe = polyethylene plastic
pp = polypropylene plastic
pet resin = polyethylene terephthalate
abs = acrylonitrile butadiene styrene
pu = polyurethane
eva = ethylene vinyl acetate
tire | tires | tyre | tyres = tyre
tshirt | tshirts | t shirt | tee shirt | tee = tshirt singlet knitted
polo shirt = shirt knitted
hoodie | hoodies | sweatshirt | sweatshirts = sweatshirt pullover knitted
sweater | sweaters | jumper = sweater pullover jersey knitted
jeans | denim jeans = trousers denim cotton
pants = trousers
sneaker | sneakers | trainers | running shoes = footwear sports rubber plastic
shoe | shoes | boots = footwear
sandal | sandals | flip flops | slippers = footwear
mens | men s | gents | gent | gentlemen | male = men
womens | women s | ladies | lady | female | woman = women
boys = boy
girls = girl
kids | child | childrens = children
baby | babies | infant = babies
handbag | handbags | purse = handbag
backpack | backpacks = rucksack bag
suitcase | luggage = trunk suitcase
solar panel | solar panels | pv module | pv modules | solar module = photovoltaic cells panel solar
li ion | lithium ion | lithium battery = lithium ion accumulator
battery | batteries = battery accumulator
suv | sedan = motor car vehicle
truck | trucks | lorry = motor vehicle transport goods
motorbike | motorbikes = motorcycle
bike | bikes = bicycle
auto parts | spare parts = parts accessories motor vehicle
bolts | bolt | nuts and bolts = bolt screw
fasteners = screw bolt
pipe | pipes = tube pipe
frozen = frozen
fresh = fresh
chilled = chilled
shrimp | shrimps | prawn | prawns = shrimp prawn
beef = bovine meat
pork = swine meat
chicken = fowl gallus domesticus meat
mutton | lamb = sheep meat
fillet | fillets = fillet
canned | tinned = prepared preserved
juice = juice
soft drink | soft drinks = beverage water sweetened
coke = coke
liquor = spirituous beverage
whiskey = whisky
vodka = vodka
smartwatch | smart watch = watch
watch | watches = watch
sunglasses = sunglasses spectacles
cosmetics | makeup | make up = beauty make up preparation
lipstick = lip make up preparation
shampoo = shampoo hair preparation
perfume | perfumes | fragrance = perfume
medicine | medicines | drug | drugs | tablets | capsules = medicament
vitamins = vitamin
fertilizer | fertilizers | fertiliser | fertilisers = fertiliser
pesticide | pesticides = insecticide
aluminum = aluminium
color | colour = colour
gasoline = petrol motor spirit
crude oil = crude petroleum oil
diesel = diesel gas oil
lpg = liquefied petroleum gas propane butane
lng = liquefied natural gas
furniture = furniture
sofa | couch = seat upholstered
toy | toys = toy
lego = toy construction
w = with
w o = without
`;

const chinese = `
石油 | 石油制品 = petroleum oil
原油 = crude petroleum oil
汽油 = petrol motor spirit
柴油 = diesel gas oil
天然气 = natural gas
液化气 = liquefied petroleum gas
煤 | 煤炭 = coal
铁矿 | 铁矿石 = iron ore
铜 = copper
铝 = aluminium
钢 | 钢铁 = steel
不锈钢 = stainless steel
钢管 = steel tube pipe
钢板 = steel flat rolled
铁 = iron
黄金 = gold
银 = silver
塑料 = plastic
橡胶 = rubber
轮胎 = tyre pneumatic rubber
木材 | 木 = wood
纸 = paper
棉 | 棉花 = cotton
羊毛 = wool
丝绸 | 丝 = silk
衬衫 = shirt
男 | 男式 | 男士 | 男装 = men
女 | 女式 | 女士 | 女装 = women
儿童 | 童装 = children
t恤 | 恤 | t恤衫 = tshirt singlet knitted
裤 | 裤子 | 长裤 = trousers
牛仔裤 = trousers denim
连衣裙 = dress
裙 | 裙子 = skirt
外套 | 大衣 = overcoat
夹克 = jacket
毛衣 = sweater pullover knitted
袜 | 袜子 = socks hosiery
鞋 | 鞋子 = footwear
运动鞋 = footwear sports
皮鞋 = footwear leather
手提包 | 手袋 = handbag
包 = bag
手套 = gloves
帽 | 帽子 = hat headgear
玩具 = toy
家具 = furniture
椅子 | 椅 = seat chair
床 = bed
灯 = lamp
电视 | 电视机 = television reception apparatus
手机 | 智能手机 = telephone cellular smartphone
电话 = telephone
电脑 | 计算机 = automatic data processing machine
笔记本电脑 = portable automatic data processing machine
打印机 = printer
电池 = battery accumulator
锂电池 = lithium ion accumulator
充电器 = charger static converter
电缆 = cable insulated
电线 = wire insulated
电机 | 电动机 = electric motor
发动机 = engine
汽车 | 轿车 = motor car vehicle
摩托车 = motorcycle
自行车 = bicycle
零件 | 配件 | 零部件 = parts
机器 | 机械 = machine
泵 = pump
阀 | 阀门 = valve
空调 = air conditioning machine
冰箱 = refrigerator
洗衣机 = washing machine
药 | 药品 = medicament
化妆品 = beauty make up preparation
香水 = perfume
肥皂 = soap
洗发水 = shampoo
牙膏 = dentifrice
大米 | 米 = rice
小麦 = wheat
玉米 = maize corn
大豆 = soya beans
糖 = sugar
茶 | 茶叶 = tea
绿茶 = green tea
咖啡 = coffee
可可 = cocoa
巧克力 = chocolate
牛肉 = bovine meat
猪肉 = swine meat
鸡肉 | 鸡 = fowl meat
鱼 = fish
虾 = shrimp prawn
蟹 = crab
冷冻 | 冻 = frozen
新鲜 | 鲜 = fresh
水果 = fruit
苹果 = apple
香蕉 = banana
橙 | 橙子 = orange
葡萄 = grape
蔬菜 = vegetable
土豆 | 马铃薯 = potato
番茄 | 西红柿 = tomato
洋葱 = onion
大蒜 = garlic
牛奶 = milk
奶粉 = milk powder
奶酪 = cheese
黄油 = butter
鸡蛋 | 蛋 = egg
蜂蜜 = honey
酒 = alcoholic beverage
啤酒 = beer
葡萄酒 = wine grape
饮料 = beverage
烟草 = tobacco
香烟 = cigarette
水泥 = cement
玻璃 = glass
陶瓷 = ceramic
瓷砖 = ceramic tile
肥料 | 化肥 = fertiliser
农药 = insecticide
油漆 | 涂料 = paint varnish
胶 | 胶水 = glue adhesive
太阳能电池板 | 光伏组件 = photovoltaic cells panel solar
二极管 = diode
集成电路 | 芯片 = electronic integrated circuit
手表 = wrist watch
钟 = clock
眼镜 = spectacles
珠宝 | 首饰 = jewellery
钻石 = diamond
布 | 面料 = fabric woven
纱线 | 纱 = yarn
聚酯 | 涤纶 = polyester
尼龙 = nylon polyamide
`;

const japanese = `
テレビ = television reception apparatus
パソコン = automatic data processing machine
ノートパソコン = portable automatic data processing machine
スマートフォン | スマホ | 携帯電話 = telephone cellular smartphone
タイヤ = tyre pneumatic rubber
シャツ = shirt
tシャツ = tshirt singlet knitted
ズボン = trousers
靴 = footwear
自動車 = motor car vehicle
冷凍 = frozen
エビ | えび | 海老 = shrimp prawn
豚肉 = swine meat
鶏肉 = fowl meat
緑茶 = green tea
醤油 = soya sauce
日本酒 = sake fermented beverage rice
ウイスキー = whisky
ビール = beer
ワイン = wine grape
化粧品 = beauty make up preparation
医薬品 = medicament
電池 = battery accumulator
カメラ = camera
時計 = watch clock
おもちゃ | 玩具 = toy
鉄鋼 = iron steel
半導体 = semiconductor
部品 = parts
機械 = machine
エアコン = air conditioning machine
冷蔵庫 = refrigerator
洗濯機 = washing machine
掃除機 = vacuum cleaner
自転車 = bicycle
オートバイ | バイク = motorcycle
魚 = fish
男性用 | メンズ | 紳士 = men
女性用 | レディース | 婦人 = women
石炭 = coal
`;

const korean = `
석유 = petroleum oil
원유 = crude petroleum oil
휘발유 = petrol motor spirit
경유 = diesel gas oil
텔레비전 | 티비 | tv = television reception apparatus
컴퓨터 = automatic data processing machine
노트북 = portable automatic data processing machine
휴대폰 | 핸드폰 | 스마트폰 = telephone cellular smartphone
타이어 = tyre pneumatic rubber
셔츠 = shirt
티셔츠 = tshirt singlet knitted
바지 = trousers
신발 = footwear
자동차 = motor car vehicle
냉동 = frozen
새우 = shrimp prawn
소고기 | 쇠고기 = bovine meat
돼지고기 = swine meat
닭고기 = fowl meat
쌀 = rice
김치 = kimchi vegetables prepared
라면 = noodles instant
화장품 = beauty make up preparation
의약품 = medicament
배터리 | 전지 = battery accumulator
반도체 = semiconductor
부품 = parts
기계 = machine
에어컨 = air conditioning machine
냉장고 = refrigerator
세탁기 = washing machine
철강 = iron steel
강철 = steel
플라스틱 = plastic
남성 | 남성용 = men
여성 | 여성용 = women
장난감 = toy
가구 = furniture
생선 | 물고기 = fish
인삼 = ginseng
맥주 = beer
와인 = wine grape
`;

const vietnamese = `
áo sơ mi | sơ mi = shirt
áo thun | áo phông = tshirt singlet knitted
áo khoác = jacket anorak
áo len = sweater pullover knitted
quần = trousers
quần jean | quần bò = trousers denim
váy | !đầm = dress skirt
giày = footwear
dép = sandal footwear
túi xách = handbag
mũ = hat headgear
găng tay = gloves
!tất | vớ = socks hosiery
nam = men
nữ = women
trẻ em = children
!tôm = shrimp prawn
cá = fish
mực = squid
cua = crab
đông lạnh = frozen
tươi = fresh
thịt bò = bovine meat
thịt heo | thịt lợn = swine meat
thịt gà = fowl meat
thịt = meat
gạo = rice
cà phê = coffee
chè | trà = tea
hạt điều = cashew nuts
hồ tiêu | tiêu = pepper piper
cao su = rubber
!gỗ = wood
nội thất | đồ gỗ = furniture
điện thoại = telephone cellular smartphone
máy tính = automatic data processing machine
máy tính xách tay = portable automatic data processing machine
ti vi | tivi = television reception apparatus
thép = steel
!sắt = iron
thép không gỉ | inox = stainless steel
nhôm = aluminium
đồng = copper
nhựa = plastic
xăng = petrol motor spirit
dầu = oil
dầu thô = crude petroleum oil
dầu mỏ = petroleum oil
than đá = coal
xi măng = cement
vải = fabric woven
sợi = yarn
bông = cotton
lụa = silk
đồ chơi = toy
thuốc = medicament
mỹ phẩm = beauty make up preparation
lốp xe | lốp = tyre pneumatic rubber
xe máy = motorcycle
ô tô | xe hơi = motor car vehicle
xe đạp = bicycle
linh kiện | phụ tùng = parts
!máy = machine
trái cây | hoa quả = fruit
rau = vegetable
sữa = milk
đường = sugar
muối = salt
bia = beer
rượu = spirituous beverage wine
nước mắm = fish sauce
mì ăn liền = noodles instant
da = leather
`;

const spanish = `
camisa = shirt
camiseta = tshirt singlet knitted
pantalón | pantalones = trousers
zapato | zapatos | calzado = footwear
hombre | caballero = men
mujer | dama = women
niño | niños = children
congelado | congelados | congelada | congeladas = frozen
camarón | camarones | gamba | gambas | langostino | langostinos = shrimp prawn
pescado = fish
carne = meat
res | vacuno | bovino = bovine meat
cerdo = swine meat
pollo = fowl meat
arroz = rice
trigo = wheat
maíz = maize corn
café = coffee
azúcar = sugar
aceite = oil
petróleo = petroleum oil
petróleo crudo = crude petroleum oil
gasolina = petrol motor spirit
acero = steel
acero inoxidable = stainless steel
hierro = iron
cobre = copper
aluminio = aluminium
plástico = plastic
caucho = rubber
neumático | neumáticos | llanta | llantas = tyre pneumatic rubber
madera = wood
papel = paper
algodón = cotton
lana = wool
seda = silk
tela | tejido = fabric woven
juguete | juguetes = toy
mueble | muebles = furniture
silla = seat chair
televisor = television reception apparatus
teléfono = telephone
celular | teléfono móvil = telephone cellular smartphone
computadora | ordenador = automatic data processing machine
batería = battery accumulator
medicamento | medicamentos = medicament
vino = wine grape
cerveza = beer
fruta = fruit
verdura | hortaliza = vegetable
leche = milk
queso = cheese
huevo = egg
miel = honey
tomate = tomato
papa | patata = potato
cebolla = onion
plátano | banano = banana
manzana = apple
uva | uvas = grape
naranja = orange
aguacate = avocado
flor | flores = flowers
vidrio = glass
cemento = cement
repuesto | repuestos | piezas = parts
máquina = machine
coche | automóvil = motor car vehicle
bicicleta = bicycle
guante | guantes = gloves
bolso = handbag
reloj = watch clock
oro = gold
plata = silver
`;

const french = `
chemise = shirt
pantalon = trousers
chaussure | chaussures = footwear
homme | hommes = men
femme | femmes = women
enfant | enfants = children
congelé | congelés | surgelé | surgelés = frozen
crevette | crevettes = shrimp prawn
poisson = fish
viande = meat
boeuf | bœuf = bovine meat
porc = swine meat
poulet = fowl meat
riz = rice
blé = wheat
sucre = sugar
huile = oil
pétrole = petroleum oil
pétrole brut = crude petroleum oil
acier = steel
acier inoxydable = stainless steel
fer = iron
cuivre = copper
plastique = plastic
caoutchouc = rubber
pneu | pneus = tyre pneumatic rubber
bois = wood
papier = paper
coton = cotton
laine = wool
soie = silk
tissu = fabric woven
jouet | jouets = toy
meuble | meubles = furniture
téléviseur = television reception apparatus
téléphone = telephone
ordinateur = automatic data processing machine
ordinateur portable = portable automatic data processing machine
batterie = battery accumulator
médicament | médicaments = medicament
vin = wine grape
bière = beer
légume | légumes = vegetable
lait = milk
fromage = cheese
oeuf | œuf = egg
verre = glass
pièces détachées = parts
voiture = motor car vehicle
vélo = bicycle
gant | gants = gloves
sac à main = handbag
montre = watch
argent = silver
`;

const german = `
hemd | hemden = shirt
hosen = trousers
schuhe | schuh = footwear
herren = men
damen = women
kinder = children
gefroren | tiefgefroren | tiefgekühlt = frozen
garnelen = shrimp prawn
fisch = fish
fleisch = meat
rindfleisch = bovine meat
schweinefleisch = swine meat
hähnchen | huhn = fowl meat
reis = rice
weizen = wheat
kaffee = coffee
zucker = sugar
öl = oil
erdöl = petroleum oil
rohöl = crude petroleum oil
benzin = petrol motor spirit
stahl = steel
edelstahl = stainless steel
eisen = iron
kupfer = copper
kunststoff = plastic
gummi = rubber
reifen = tyre pneumatic rubber
holz = wood
baumwolle = cotton
wolle = wool
seide = silk
stoff = fabric woven
spielzeug = toy
möbel = furniture
fernseher = television reception apparatus
handy = telephone cellular smartphone
telefon = telephone
rechner = automatic data processing machine
akku = accumulator battery
arzneimittel = medicament
wein = wine grape
bier = beer
obst = fruit
gemüse = vegetable
milch = milk
käse = cheese
eier = egg
honig = honey
glas = glass
ersatzteile | teile = parts
maschine = machine
fahrrad = bicycle
handschuhe = gloves
tasche = bag
uhr = watch clock
silber = silver
`;

const portuguese = `
calça | calças = trousers
sapato | sapatos | calçado = footwear
homem | masculino = men
mulher | feminino = women
camarão | camarões = shrimp prawn
peixe = fish
bovina = bovine meat
suína = swine meat
frango = fowl meat
milho = maize corn
açúcar = sugar
óleo = oil
aço = steel
aço inoxidável = stainless steel
ferro = iron
borracha = rubber
madeira = wood
algodão = cotton
tecido = fabric woven
brinquedo | brinquedos = toy
móveis = furniture
televisão = television reception apparatus
telefone = telephone
computador = automatic data processing machine
vinho = wine grape
cerveja = beer
leite = milk
queijo = cheese
ovo | ovos = egg
vidro = glass
peças = parts
carro = motor car vehicle
luva | luvas = gloves
bolsa = handbag
relógio = watch clock
ouro = gold
prata = silver
soja = soya beans
`;

/** Words that never decide a classification: function words of the languages above, tariff boilerplate, marketing. */
const stopWords = `
a an the of and or for with without in on at to by from as into per not nor no than other others
its their such etc whether including excluding include kind kinds type types thereof therefor
nes nesoi nec described provided entered pursuant provision provisions note notes tariff schedule
additional general heading subheading chapter item items goods product products article articles
new brand model approx approximately assorted various premium quality genuine original oem
export import shipment order invoice ref sample hs code hscode free commercial value
de del la el los las y para con en sin un una le les des du et pour avec sans der die das und
für mit aus von ein eine do dos e com em um uma cua va cho loai hang moi cac
size sizes xl xxl xs
`;

/** Units and count words: dropped. */
const unitWords = `
kg kgs g gr gm gram grams kilogram kilograms lb lbs oz ml l ltr litre liter litres liters
mm cm m mtr meter metre meters metres inch inches ft yd yard w kw v mah gb tb mb hz
pcs pc nos qty quantity unit units piece pieces dozen doz pair pairs set sets x
`;

/**
 * Packaging: after a number or unit they are the pack ("500g bag", "12 bottles") and are dropped;
 * alone they may be the goods ("plastic bags"), and count less.
 */
const packagingWords = `
bag bags box boxes carton cartons ctn ctns pack packs packet packets pkt pallet pallets case cases
bottle bottles btl can cans tin tins jar jars drum drums roll rolls bundle bundles sack sacks tube
tray trays crate crates bale bales container containers pouch pouches sachet sachets
`;

export interface LexiconTables {
  /** Latin phrases (words joined by one space, accents kept) to tariff words. */
  readonly phrases: ReadonlyMap<string, readonly string[]>;
  /** Phrases matched only as written, accents included. */
  readonly exactOnly: ReadonlySet<string>;
  /** The longest Latin phrase, in words. */
  readonly longestPhrase: number;
  /** Chinese, Japanese and Korean entries, matched by longest match inside a run of such characters. */
  readonly cjk: ReadonlyMap<string, readonly string[]>;
  readonly longestCjk: number;
  readonly stopWords: ReadonlySet<string>;
  readonly unitWords: ReadonlySet<string>;
  readonly packagingWords: ReadonlySet<string>;
}

const cjkCharacter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function words(table: string): Set<string> {
  return new Set(table.split(/\s+/).filter((w) => w.length > 0));
}

function entries(table: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const line of table.split('\n')) {
    const [left, right] = line.split('=');
    if (left === undefined || right === undefined) continue;
    const value = right.trim().split(/\s+/).filter(Boolean);
    for (const key of left.split('|')) out.push([key.trim().normalize('NFKC').toLowerCase(), value]);
  }
  return out;
}

/** The tables, keys normalised as the tokenizer normalises text (NFKC, lower case). */
export function lexiconTables(): LexiconTables {
  const phrases = new Map<string, readonly string[]>();
  const cjk = new Map<string, readonly string[]>();
  const exactOnly = new Set<string>();
  const all = [english, chinese, japanese, korean, vietnamese, spanish, french, german, portuguese];
  for (const table of all) {
    for (const [key, value] of entries(table)) {
      const plain = key.replace(/^!/, '');
      if (plain !== key) exactOnly.add(plain);
      if (cjkCharacter.test(plain)) cjk.set(plain, value);
      else phrases.set(plain, value);
    }
  }
  return {
    phrases,
    exactOnly,
    longestPhrase: Math.max(...[...phrases.keys()].map((k) => k.split(' ').length)),
    cjk,
    longestCjk: Math.max(...[...cjk.keys()].map((k) => [...k].length)),
    stopWords: words(stopWords),
    unitWords: words(unitWords),
    packagingWords: words(packagingWords),
  };
}
